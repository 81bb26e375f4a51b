package io.anymq.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerTest {
    @Test
    void countsLossesAndDuplicatesAcrossSegments() {
        Tracker t = new Tracker();
        long big = 3L * (1 << 20) + 5; // in the fourth segment
        for (long s : new long[]{0, 1, 2, big}) {
            t.confirmed(s);
        }
        assertThat(t.received(0)).isTrue();
        assertThat(t.received(0)).isFalse();
        assertThat(t.received(big)).isTrue();
        assertThat(t.confirmedCount()).isEqualTo(4);
        assertThat(t.uniqueReceived()).isEqualTo(2);
        assertThat(t.duplicates()).isEqualTo(1);
        assertThat(t.lost(big + 1)).isEqualTo(2); // 1 and 2
    }
}
