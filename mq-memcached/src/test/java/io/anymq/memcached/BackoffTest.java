package io.anymq.memcached;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void waitsDoubleFromOneMillisecondUpToThePollIntervalAndResetOnADelivery() {
        Backoff b = new Backoff(50_000_000);
        long now = System.nanoTime();
        assertThat(b.waitNanos(now)).isZero();
        long[] expected = {1, 2, 4, 8, 16, 32, 50, 50};
        for (long ms : expected) {
            b.foundNothing(now);
            assertThat(b.waitNanos(now)).isEqualTo(ms * 1_000_000);
        }
        b.found(now);
        assertThat(b.waitNanos(now)).as("while messages flow, look again at once").isZero();
        b.foundNothing(now);
        assertThat(b.waitNanos(now + 400_000)).isEqualTo(600_000);
    }
}
