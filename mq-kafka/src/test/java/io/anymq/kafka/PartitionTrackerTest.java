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
    void aRewindReopensFromTheNackedRecord() {
        for (long o = 0; o < 5; o++) {
            t.fetched(o);
        }
        t.settled(0);
        t.settled(1);
        t.rewind(2);
        assertThat(t.committable()).hasValue(2);
        t.settled(3); // an ack of a record that comes again is harmless
        assertThat(t.committable()).hasValue(2);
        t.fetched(2);
        t.fetched(3);
        t.settled(2);
        assertThat(t.committable()).hasValue(3);
        t.settled(3);
        assertThat(t.committable()).hasValue(4);
    }

    @Test
    void anEarlierRewindWins() {
        for (long o = 0; o < 10; o++) {
            t.fetched(o);
        }
        t.rewind(7);
        t.rewind(3);
        t.rewind(5);
        assertThat(t.committable()).hasValue(0);
        for (long o = 0; o < 3; o++) {
            t.settled(o);
        }
        assertThat(t.committable()).isEqualTo(OptionalLong.of(3));
    }

    @Test
    void revocationIsVisible() {
        assertThat(t.isRevoked()).isFalse();
        t.revoke();
        assertThat(t.isRevoked()).isTrue();
    }
}
