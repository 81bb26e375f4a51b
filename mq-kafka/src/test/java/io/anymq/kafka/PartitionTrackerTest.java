package io.anymq.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionTrackerTest {
    private final PartitionTracker t = new PartitionTracker(new TopicPartition("t", 0));

    @Test
    void nothingToCommitBeforeTheFirstFetch() {
        assertThat(t.committable()).isEmpty();
    }

    @Test
    void theCommittedOffsetIsTheLowestUnackedOne() {
        for (long o = 10; o < 15; o++) {
            t.fetched(o);
        }
        assertThat(t.committable()).hasValue(10);
        t.settled(12);
        t.settled(11);
        assertThat(t.committable()).hasValue(10);
        t.settled(10);
        assertThat(t.committable()).hasValue(13);
        t.settled(14);
        t.settled(13);
        assertThat(t.committable()).hasValue(15);
    }

    @Test
    void onlyOffsetsBeyondTheCommittedOneAreOffered() {
        t.fetched(0);
        t.settled(0);
        assertThat(t.committable()).hasValue(1);
        t.committed(1);
        assertThat(t.committable()).isEmpty();
        t.fetched(1);
        assertThat(t.committable()).isEmpty();
        t.settled(1);
        assertThat(t.committable()).hasValue(2);
    }

    @Test
    void aNackedRecordStaysOpenSoNothingIsCommittedPastIt() {
        for (long o = 0; o < 5; o++) {
            t.fetched(o);
        }
        t.settled(0);
        t.settled(1);
        t.givenBack(2);
        t.settled(3);
        t.settled(4);
        assertThat(t.committable()).hasValue(2);
        assertThat(t.rereadFrom()).hasValue(2);
    }

    @Test
    void readingAgainHandsOutOnlyWhatWasGivenBack() {
        for (long o = 0; o < 6; o++) {
            assertThat(t.fetched(o)).isTrue();
        }
        t.settled(1);            // acked
        t.givenBack(2);          // nacked
        // 3 is still with the application; 4 was dropped from the read-ahead
        t.givenBack(4);
        t.settled(5);
        assertThat(t.rereadFrom()).hasValue(2);
        assertThat(t.fetched(0)).as("still out").isFalse();
        assertThat(t.fetched(1)).as("acked").isFalse();
        assertThat(t.fetched(2)).as("given back").isTrue();
        assertThat(t.fetched(3)).as("still out").isFalse();
        assertThat(t.fetched(4)).as("given back").isTrue();
        assertThat(t.fetched(5)).as("acked").isFalse();
        assertThat(t.fetched(6)).as("new").isTrue();
        assertThat(t.fetched(2)).as("out again: a second read does not hand it out twice").isFalse();
        assertThat(t.rereadFrom()).isEmpty();
    }

    @Test
    void manyNacksOfOnePartitionAreReadAgainFromTheLowest() {
        for (long o = 0; o < 100; o++) {
            t.fetched(o);
        }
        // every 10th is nacked, in any order, the rest acked: the lowest nacked one decides where to read again
        for (long o = 99; o >= 0; o--) {
            if (o % 10 == 0) {
                t.givenBack(o);
            } else {
                t.settled(o);
            }
        }
        assertThat(t.rereadFrom()).hasValue(0);
        assertThat(t.committable()).hasValue(0);
        for (long o = 0; o < 100; o++) {
            assertThat(t.fetched(o)).isEqualTo(o % 10 == 0);
        }
        for (long o = 0; o < 100; o += 10) {
            t.settled(o);
        }
        assertThat(t.committable()).hasValue(100);
    }

    @Test
    void revocationIsVisible() {
        assertThat(t.isRevoked()).isFalse();
        t.revoke();
        assertThat(t.isRevoked()).isTrue();
    }
}
