package io.anymq.memcached;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseStateTest {

    @Test
    void everyStateReadsBackAsWritten() {
        for (LeaseState s : new LeaseState[]{LeaseState.leased(3, 1_700_000_000_123L, "ab12-7"), LeaseState.waiting(0, 42),
                LeaseState.missing(2, 99), LeaseState.done('A', 1), LeaseState.done('R', 4), LeaseState.done('X', 0), LeaseState.done('F', 0)}) {
            assertThat(LeaseState.parse(s.bytes())).isEqualTo(s);
        }
        assertThat(new String(LeaseState.leased(1, 5, "t").bytes(), StandardCharsets.US_ASCII)).isEqualTo("L 1 5 t");
        assertThat(new String(LeaseState.done('A', 2).bytes(), StandardCharsets.US_ASCII)).isEqualTo("A 2");
    }

    @Test
    void foreignValuesAreNotStates() {
        for (String junk : new String[]{"", "hello", "L 1 2", "A", "Q 1", "N x 3", "A 1 2"}) {
            assertThat(LeaseState.parse(junk.getBytes(StandardCharsets.US_ASCII))).as(junk).isNull();
        }
        assertThat(LeaseState.parse(null)).isNull();
    }

    @Test
    void onlyDueWaitingAndExpiredLeasesAreTakeable() {
        assertThat(LeaseState.waiting(1, 100).takeable(100)).isTrue();
        assertThat(LeaseState.waiting(1, 101).takeable(100)).isFalse();
        assertThat(LeaseState.leased(1, 99, "t").takeable(100)).isTrue();
        assertThat(LeaseState.leased(1, 101, "t").takeable(100)).isFalse();
        assertThat(LeaseState.done('A', 1).takeable(Long.MAX_VALUE)).isFalse();
        assertThat(LeaseState.missing(0, 0).takeable(Long.MAX_VALUE)).isFalse();
        assertThat(LeaseState.done('A', 1).settled()).isTrue();
        assertThat(LeaseState.done('F', 0).settled()).isTrue();
        assertThat(LeaseState.waiting(1, 0).settled()).isFalse();
    }
}
