package io.anymq.nats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bookkeeping of a JetStream member's pull requests and its share of the client's pull bytes (pure logic). */
class OpenPullsTest {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    @Test
    void aRequestAsksForAsManyMessagesAsTheShareHoldsAtTheLargestSizeSeen() {
        assertThat(OpenPulls.batch(256, 8 * MIB, 0)).as("before any message: the prefetch, bounded by bytes on the wire").isEqualTo(256);
        assertThat(OpenPulls.batch(256, 8 * MIB, 100)).as("small messages: the prefetch binds").isEqualTo(256);
        assertThat(OpenPulls.batch(256, 8 * MIB, 64 * KIB + 200)).isEqualTo(127);
        assertThat(OpenPulls.batch(256, 8 * MIB, 16 * MIB)).as("one message larger than the share: still one").isEqualTo(1);
    }

    @Test
    void theLargestSizeFollowsALargerMessageAtOnceAndShrinksSlowlyAfterIt() {
        long largest = OpenPulls.largest(0, 64 * KIB);
        assertThat(largest).isEqualTo(64 * KIB);
        assertThat(OpenPulls.largest(largest, 1 * MIB)).isEqualTo(1 * MIB);
        for (int i = 0; i < 100; i++) {
            largest = OpenPulls.largest(largest, 100);
        }
        assertThat(largest).as("100 small messages later").isBetween(10 * KIB, 64 * KIB);
        for (int i = 0; i < 1000; i++) {
            largest = OpenPulls.largest(largest, 100);
        }
        assertThat(largest).as("a thousand later: the small size again").isLessThan(200);
    }

    @Test
    void aRequestIsDoneWhenItsMessagesCameOrItsBytesCannotHoldAnotherLargestMessage() {
        OpenPulls pulls = new OpenPulls();
        pulls.sent(4, 1 * MIB, 1_000);
        pulls.sent(4, 1 * MIB, 2_000);
        assertThat(pulls.messages()).isEqualTo(8);
        for (int i = 0; i < 4; i++) {
            pulls.received(100, 100, 0);
        }
        assertThat(pulls.messages()).as("the first request brought its four").isEqualTo(4);
        pulls.received(600 * KIB, 600 * KIB, 0);
        assertThat(pulls.messages()).as("424 KiB left cannot hold another 600 KiB message: the server ends the request")
                .isZero();
        pulls.received(100, 600 * KIB, 0);
        assertThat(pulls.messages()).as("a message no request is counted for changes nothing").isZero();
    }

    @Test
    void requestsExpireInTheOrderTheyWereSent() {
        OpenPulls pulls = new OpenPulls();
        long t = System.nanoTime();
        pulls.sent(10, MIB, t + 1_000);
        pulls.sent(10, MIB, t + 2_000);
        assertThat(pulls.lastExpiry(t)).isEqualTo(t + 2_000);
        pulls.expire(t + 999);
        assertThat(pulls.messages()).isEqualTo(20);
        pulls.expire(t + 1_000);
        assertThat(pulls.messages()).isEqualTo(10);
        pulls.expire(t + 5_000);
        assertThat(pulls.messages()).isZero();
        assertThat(pulls.lastExpiry(t + 7_000)).as("none open: now").isEqualTo(t + 7_000);
    }

    @Test
    void anExpiredRequestStillCountsWhileMessagesKeepComingUpToTheGrace() {
        OpenPulls pulls = new OpenPulls();
        long t = System.nanoTime();
        pulls.sent(100, 8 * MIB, t);
        pulls.received(64 * KIB, 64 * KIB, t + 10);
        pulls.expire(t + 20);
        assertThat(pulls.messages()).as("a message came 10 ns ago: the server may still be sending for it").isEqualTo(99);
        pulls.received(64 * KIB, 64 * KIB, t + OpenPulls.LATE_GRACE_NANOS - 10);
        pulls.expire(t + OpenPulls.LATE_GRACE_NANOS);
        assertThat(pulls.messages()).as("past the grace it is forgotten even so").isZero();

        pulls.sent(100, 8 * MIB, t + OpenPulls.LATE_GRACE_NANOS + 1_000);
        pulls.expire(t + OpenPulls.LATE_GRACE_NANOS + 1_000 + OpenPulls.FLOWING_NANOS);
        assertThat(pulls.messages()).as("nothing came lately: forgotten at its expiry").isZero();
    }

    @Test
    void theBudgetIsSplitAmongTheMembersButNeverBelowOneLargestMessage() {
        PullBudget budget = new PullBudget(32 * MIB, MIB + 64 * KIB);
        budget.join();
        assertThat(budget.memberBytes()).isEqualTo(32 * MIB);
        budget.join();
        budget.join();
        budget.join();
        assertThat(budget.memberBytes()).isEqualTo(8 * MIB);
        for (int i = 0; i < 60; i++) {
            budget.join();
        }
        assertThat(budget.memberBytes()).as("64 members: one message of max_payload each").isEqualTo(MIB + 64 * KIB);
        for (int i = 0; i < 63; i++) {
            budget.leave();
        }
        assertThat(budget.memberBytes()).isEqualTo(32 * MIB);
    }
}
