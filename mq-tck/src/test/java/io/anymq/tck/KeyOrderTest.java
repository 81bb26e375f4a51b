package io.anymq.tck;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key order check itself: what it lets pass and what it fails, on deliveries whose ack outcome is given ({@link GivenDelivery}). */
class KeyOrderTest {

    private final KeyOrder order = new KeyOrder(d -> Integer.parseInt(TckContext.text(d)));
    private final KeyOrder.Member a = order.member("a");
    private final KeyOrder.Member b = order.member("b");

    /** Message {@code seq} of key k, acked. */
    private static GivenDelivery k(int seq) {
        return GivenDelivery.of("k", seq, true);
    }

    @Test
    void aKeyHandedFromMemberToMemberInOrderPasses() {
        a.received();
        a.handle(k(0));
        a.handle(k(1));
        b.received();
        b.handle(k(2));
        assertThat(order.violations(10)).isEmpty();
        assertThat(order.settledOf("k")).containsExactly(0, 1, 2);
    }

    @Test
    void aLaterMessageHeldByAnotherMemberWhileAnEarlierOneIsBeingHandledFails() {
        a.received();                            // a holds 0 and 1
        b.received();                            // b holds 2 at the same time
        a.handle(k(0));
        a.handle(k(1));
        b.handle(k(2));       // acked after 1, but b had it while a still worked on 0 and 1
        assertThat(order.violations(10)).singleElement().asString().contains("message 2", "earlier message 1");
    }

    @Test
    void goingBackwardsPastASettledMessageFailsButARepeatThatDoesNotIsOnlyCounted() {
        a.received();
        a.handle(k(0));
        a.handle(k(1));
        b.received();
        b.handle(k(1));       // 1 again, right after itself: a duplicate
        assertThat(order.violations(10)).isEmpty();
        assertThat(order.duplicates()).isEqualTo(1);
        a.received();
        a.handle(k(2));
        b.received();
        b.handle(k(0));       // 0 again after 2 settled: backwards
        assertThat(order.violations(10)).isNotEmpty();
    }

    @Test
    void aHandlingWhoseAckWasRefusedDoesNotCount() {
        a.received();                            // a holds 0 and 1; the broker takes the key to b
        b.received();
        b.handle(k(0));
        b.handle(k(1));
        a.handle(GivenDelivery.of("k", 0, false));      // refused (REVOKED): a's handling settled nothing
        a.handle(GivenDelivery.of("k", 1, false));
        assertThat(order.violations(10)).isEmpty();
        assertThat(order.refused()).isEqualTo(2);
        assertThat(order.duplicates()).isZero();
    }

    @Test
    void keysAreCheckedApart() {
        a.received();
        b.received();
        a.handle(GivenDelivery.of("k1", 0, true));
        b.handle(GivenDelivery.of("k2", 0, true));
        a.handle(GivenDelivery.of("k1", 1, true));
        b.handle(GivenDelivery.of("k2", 1, true));
        assertThat(order.violations(10)).isEmpty();
        assertThat(order.settledPerKey()).containsEntry("k1", 2).containsEntry("k2", 2);
    }
}
