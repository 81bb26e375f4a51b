package io.anymq.spi;

import io.anymq.Health;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionStateTest {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-11-30T05:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void startsConnectedAndKeepsSinceForTheSameState() {
        Manual clock = new Manual();
        ConnectionState s = new ConnectionState("NATS at nats://h:4222", clock);
        Instant start = clock.now;
        assertThat(s.health().state()).isEqualTo(Health.State.CONNECTED);
        assertThat(s.health().detail()).isEqualTo("NATS at nats://h:4222: connected");
        assertThat(s.health().since()).isEqualTo(start);

        clock.now = start.plusSeconds(5);
        s.connected("note");
        assertThat(s.health().since()).as("still connected since the start").isEqualTo(start);
        assertThat(s.health().detail()).endsWith("connected; note");

        clock.now = start.plusSeconds(10);
        s.reconnecting("Connection refused");
        assertThat(s.health().state()).isEqualTo(Health.State.RECONNECTING);
        assertThat(s.health().since()).isEqualTo(start.plusSeconds(10));
        assertThat(s.health().detail()).startsWith("NATS at nats://h:4222: ").contains("Connection refused");

        clock.now = start.plusSeconds(12);
        s.reconnecting("attempt 2");
        assertThat(s.health().since()).isEqualTo(start.plusSeconds(10));

        s.disconnected("gave up");
        assertThat(s.health().state()).isEqualTo(Health.State.DISCONNECTED);
        assertThat(s.health().since()).isEqualTo(start.plusSeconds(12));
        assertThat(s.health().usable()).isFalse();
    }

    @Test
    void aProbeRunsAtMostOncePerIntervalAndAFailingOneChangesNothing() throws InterruptedException {
        ConnectionState s = new ConnectionState("x");
        AtomicInteger runs = new AtomicInteger();
        s.probeWith(() -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("probe failed");
            }
            s.reconnecting("probe " + runs.get());
        }, Duration.ofMillis(200));
        assertThat(s.health().detail()).as("the first read probes").contains("probe 1");
        s.health();
        s.health();
        assertThat(runs.get()).isEqualTo(1);
        Thread.sleep(250);
        assertThat(s.health().detail()).as("a failing probe keeps the last report").contains("probe 1");
        assertThat(runs.get()).isEqualTo(2);
        Thread.sleep(250);
        assertThat(s.health().detail()).contains("probe 3");
    }

    @Test
    void aWaitForALostConnectionEndsWhenItIsReportedUpOrAtTheTimeoutAndKeepsTheInterruptFlag() throws Exception {
        ConnectionState state = new ConnectionState("X at h:1");
        assertThat(state.lost()).isFalse();
        assertThat(state.awaitNotLost(Duration.ZERO)).as("up: no wait").isTrue();

        state.reconnecting("gone");
        assertThat(state.lost()).isTrue();
        assertThat(state.awaitNotLost(Duration.ofMillis(120))).as("still lost at the timeout").isFalse();

        Thread.currentThread().interrupt();
        assertThat(state.awaitNotLost(Duration.ofMillis(60))).isFalse();
        assertThat(Thread.interrupted()).as("the flag, kept").isTrue();

        java.util.concurrent.CompletableFuture<Boolean> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> state.awaitNotLost(Duration.ofMinutes(5)));
        Thread.sleep(100);
        assertThat(waiting).as("waits while lost").isNotDone();
        state.connected();
        assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("woken by the report").isTrue();

        state.disconnected("given up");
        assertThat(state.lost()).isTrue();
        AtomicInteger probes = new AtomicInteger();
        state.probeWith(() -> {
            if (probes.incrementAndGet() >= 3) {
                state.connected();
            }
        }, Duration.ZERO);
        assertThat(state.awaitNotLost(Duration.ofMinutes(5))).as("a probe's report ends the wait too").isTrue();
    }
}
