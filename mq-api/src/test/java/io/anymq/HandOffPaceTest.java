package io.anymq;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HandOffPaceTest {

    @Test
    void beforeAnyHandlerCallEndedOneDeliveryPerHandlerMayWait() {
        HandOffPace pace = new HandOffPace(Duration.ofSeconds(30), 4);
        assertThat(pace.room(0)).isEqualTo(4);
        assertThat(pace.room(3)).isEqualTo(1);
        assertThat(pace.room(4)).isZero();
        assertThat(pace.room(9)).isZero();
    }

    @Test
    void whatWaitsIsWhatTheHandlersStartWithinAQuarterOfTheAckTimeout() {
        HandOffPace pace = new HandOffPace(Duration.ofSeconds(2), 4);
        pace.handled(1, 100_000_000);
        pace.handled(1, 100_000_000);
        // 4 handlers of 100 ms start 40 a second; a quarter of 2 s is 500 ms: 20 may wait
        assertThat(pace.room(0)).isEqualTo(20);
        assertThat(pace.room(15)).isEqualTo(5);
    }

    @Test
    void oneHandlersQueueHoldsWhatThatHandlerStartsWithinTheWindow() {
        HandOffPace pace = new HandOffPace(Duration.ofSeconds(2), 16);
        assertThat(pace.perHandler()).as("before any call ended").isEqualTo(1);
        pace.handled(1, 100_000_000);
        pace.room(0);
        // with handlers serial per key, one key's deliveries all wait for one handler: 500 ms of 100 ms calls
        assertThat(pace.perHandler()).isEqualTo(5);
        assertThat(pace.target()).isEqualTo(80);
    }

    @Test
    void theWindowIsAtMostOneSecondAndOneSecondWithoutAnAckTimeout() {
        HandOffPace longTimeout = new HandOffPace(Duration.ofMinutes(10), 2);
        HandOffPace backendDefault = new HandOffPace(null, 2);
        for (HandOffPace pace : new HandOffPace[] {longTimeout, backendDefault}) {
            pace.handled(10, 1_000_000_000); // 100 ms a call
            assertThat(pace.room(0)).isEqualTo(20);
        }
    }

    @Test
    void fastHandlersMayHaveAsManyWaitingAsAFetchBrings() {
        HandOffPace pace = new HandOffPace(Duration.ofSeconds(30), 1);
        pace.handled(1000, 1_000_000); // 1 µs a call
        assertThat(pace.room(0)).isEqualTo(1_000_000);
    }

    @Test
    void handlersThatSlowDownHaveFewerWaitingAsTheRunningTimeFollows() {
        HandOffPace pace = new HandOffPace(Duration.ofSeconds(4), 1);
        pace.handled(1, 10_000_000);
        int fast = pace.room(0);
        assertThat(fast).isEqualTo(100);
        for (int i = 0; i < 20; i++) {
            pace.handled(1, 500_000_000);
            pace.room(0);
        }
        assertThat(pace.room(0)).isLessThan(fast).isBetween(2, 3);
        assertThat(pace.room(5)).isZero();
    }

    @Test
    void thePollerPausesBetweenOneAndTenMilliseconds() {
        assertThat(new HandOffPace(Duration.ofMillis(4), 1).pauseNanos()).isEqualTo(1_000_000);
        assertThat(new HandOffPace(Duration.ofSeconds(30), 1).pauseNanos()).isEqualTo(10_000_000);
    }
}
