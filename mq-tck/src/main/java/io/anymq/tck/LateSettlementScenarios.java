package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.MessagingClient;
import io.anymq.SettlementException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A settlement that comes after the ack timeout, when the message has meanwhile been delivered again
 * (to another member, or to the same one): it must not settle the newer delivery. Where the backend
 * can tell, it fails with {@code SettlementException(EXPIRED)}; in any case the message comes again
 * when the newer delivery is nacked, or when the member holding it dies. A late ack that settled the
 * newer delivery would lose the message in both cases.
 */
public interface LateSettlementScenarios extends TckContext {

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT, Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY})
    default void aLateAckDoesNotSettleTheNextDeliveryAndTheMessageComesAgainWhenThatIsNacked() {
        LateAck late = lateAck("aLateAckDoesNotSettleTheNextDeliveryAndTheMessageComesAgainWhenThatIsNacked");
        late.again().nack(Duration.ZERO).join();
        Delivery third = receiveFromEither(late.holderOfAgain(), late.otherOfAgain(),
                settings().receiveTimeout().plus(ackTimeout())).getValue();
        assertThat(third.message().id()).as("the message comes again after the newer delivery was nacked").isEqualTo(late.sent().id());
        third.ack().join();
    }

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT, Capability.COMPETING_CONSUMERS})
    default void aLateAckDoesNotSettleTheNextDeliveryAndTheMessageComesAgainWhenItsHolderDies() {
        LateAck late = lateAck("aLateAckDoesNotSettleTheNextDeliveryAndTheMessageComesAgainWhenItsHolderDies");
        // the member holding the newer delivery goes away without settling it: its whole client closes
        late.clientOfHolder().close();
        Delivery third = receiveFromEither(late.otherOfAgain(), late.otherOfAgain(),
                settings().receiveTimeout().plus(ackTimeout())).getValue();
        assertThat(third.message().id()).as("the message comes again to the surviving member").isEqualTo(late.sent().id());
        third.ack().join();
    }

    /**
     * Two members on clients of their own; one receives the message and holds it past the ack timeout,
     * then it comes again (to either member: some brokers give it to the holder only); then the first
     * delivery is acked late. Returns the newer delivery and who holds it.
     */
    private LateAck lateAck(String scenario) {
        String topic = name("lateack");
        Duration timeout = ackTimeout();
        ConsumerOptions options = options(topic, name("g")).ackTimeout(timeout).build();
        MessagingClient clientA = newClient();
        MessagingClient clientB = newClient();
        Consumer a = closeAfterTest(clientA.consumer(options));
        Consumer b = closeAfterTest(clientB.consumer(options));
        Message sent = Message.builder().payload("late").id(name("msg")).build();
        producer(topic).send(sent).join();

        Map.Entry<Consumer, Delivery> first = receiveFromEither(a, b, settings().receiveTimeout());
        Delivery held = first.getValue();
        assertThat(held.message().id()).isEqualTo(sent.id());
        Consumer holder = first.getKey();
        Consumer other = holder == a ? b : a;

        // the holder keeps it past the ack timeout; the message comes again (to the other member, or to the holder)
        Map.Entry<Consumer, Delivery> second = receiveFromEither(other, holder, settings().receiveTimeout().plus(timeout));
        assertThat(second.getValue().message().id()).as("the message comes again after the ack timeout").isEqualTo(sent.id());
        Consumer holderOfAgain = second.getKey();

        // the first delivery is acked late: refused, or at least without effect on the newer delivery (checked after)
        String outcome;
        try {
            held.ack().join();
            outcome = "accepted";
        } catch (SettlementException e) {
            assertThat(e.reason()).as("a late ack is refused as EXPIRED: %s", e.getMessage()).isEqualTo(SettlementException.Reason.EXPIRED);
            outcome = "refused at once with EXPIRED";
        } catch (CompletionException e) {
            assertThat(e.getCause()).as("a late ack fails with a SettlementException").isInstanceOf(SettlementException.class);
            assertThat(((SettlementException) e.getCause()).reason()).as("a late ack is refused as EXPIRED: %s", e.getCause().getMessage())
                    .isEqualTo(SettlementException.Reason.EXPIRED);
            outcome = "refused by the broker with EXPIRED";
        }
        observe(scenario, "the late ack was " + outcome + "; the message came again to "
                + (holderOfAgain == holder ? "the member that held it" : "the other member"));
        return new LateAck(sent, second.getValue(), holderOfAgain, holderOfAgain == a ? clientA : clientB, holderOfAgain == a ? b : a);
    }

    /** Receives from both members in turn (the first one first) until one gets a delivery; returns who got what. */
    private Map.Entry<Consumer, Delivery> receiveFromEither(Consumer first, Consumer second, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        List<Consumer> members = first == second ? List.of(first) : List.of(first, second);
        while (System.nanoTime() < end) {
            for (Consumer c : members) {
                Optional<Delivery> d = c.receive(Duration.ofMillis(100));
                if (d.isPresent()) {
                    return Map.entry(c, d.get());
                }
            }
        }
        throw new AssertionError("nothing arrived on '" + first.topic() + "' for group '" + first.group() + "' within " + within);
    }

    /**
     * The state after a late ack: the message, its newer delivery, the member holding that delivery
     * and that member's client, and the other member.
     */
    record LateAck(Message sent, Delivery again, Consumer holderOfAgain, MessagingClient clientOfHolder, Consumer otherOfAgain) {
    }
}
