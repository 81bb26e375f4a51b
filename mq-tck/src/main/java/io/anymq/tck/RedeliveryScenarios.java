package io.anymq.tck;

import io.anymq.AckTimeoutRedelivery;
import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redelivery as applications drive it: many nacks from concurrent handlers, a settlement that must
 * reach the broker, and a holder that stops receiving. Single-nack scenarios pass where these fail
 * (Kafka consumer groups lost nacked records when several nacks of one partition came close together).
 */
public interface RedeliveryScenarios extends TckContext {

    /** How long a new member watches to show that nothing was left unacked (a new member may need a rebalance first). */
    private Duration leftoverWatch() {
        Duration fiveSeconds = Duration.ofSeconds(5);
        return settings().absenceWait().compareTo(fiveSeconds) > 0 ? settings().absenceWait() : fiveSeconds;
    }

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.NACK_REDELIVERY})
    default void manyNacksFromConcurrentHandlersAllComeBackAndNothingIsLeftUnacked() {
        // no key: on partitioned brokers the messages crowd onto few partitions, so nacks of one partition come close together
        manyNacks("manyNacksFromConcurrentHandlersAllComeBackAndNothingIsLeftUnacked", 0, SubscribeOptions.builder().concurrency(4).serialPerKey(false).build());
    }

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.NACK_REDELIVERY})
    default void manyNacksOfKeyedMessagesHandledSeriallyPerKeyAllComeBack() {
        // as an application sends: keys and a header, four handlers, each key handled one at a time
        manyNacks("manyNacksOfKeyedMessagesHandledSeriallyPerKeyAllComeBack", 16, SubscribeOptions.concurrency(4));
    }

    /** Every 10th of 1,000 messages nacked once with no delay, acked when it comes again; then a new member finds nothing left. */
    private void manyNacks(String scenario, int keys, SubscribeOptions subscribeOptions) {
        String topic = name("manynacks");
        String group = name("g");
        int n = settings().scaled(1000);
        ConsumerOptions options = options(topic, group).build();
        Consumer consumer = client().consumer(options);
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> nacked = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try {
            Producer producer = producer(topic);
            for (int i = 0; i < n; i++) {
                Message.Builder m = Message.builder().payload(Integer.toString(i)).header("n", Integer.toString(i));
                producer.send((keys > 0 ? m.key("k" + i % keys) : m).build());
            }
            producer.flush();
            Subscription s = consumer.subscribe(d -> {
                int i = Integer.parseInt(TckContext.text(d));
                if (i % 10 == 0 && nacked.add(i)) {
                    d.nack(Duration.ZERO);
                    return;
                }
                if (!acked.add(i)) {
                    duplicates.incrementAndGet();
                }
                d.ack();
            }, subscribeOptions);
            await().atMost(settings().receiveTimeout().multipliedBy(3)).until(() -> acked.size() == n);
            s.close();
        } finally {
            consumer.close();
        }
        assertThat(nacked).hasSize((n + 9) / 10);
        observe(scenario, duplicates.get() + " duplicate deliveries of already-acked messages (" + nacked.size() + " nacked, " + n + " sent)");
        Consumer after = closeAfterTest(newClient().consumer(options));
        assertThat(receiveFor(after, leftoverWatch()))
                .as("a new member of the group finds nothing left unacked").isEmpty();
    }

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT})
    default void anAckedMessageNeverComesBackWhileTheMemberLives() throws InterruptedException {
        String topic = name("ackheld");
        Duration timeout = ackTimeout();
        Consumer consumer = consumer(options(topic, name("g")).ackTimeout(timeout).build());
        Producer producer = producer(topic);
        int n = 3;
        for (int i = 0; i < n; i++) {
            producer.send("acked-" + i);
        }
        producer.flush();
        List<Delivery> got = receive(consumer, n, false);
        assertThat(got).hasSize(n);
        for (Delivery d : got) {
            d.ack().join(); // completes when the broker has the ack
        }
        // the member stays idle past the ack timeout: an ack the broker did not have would bring the message back now
        Thread.sleep(timeout.multipliedBy(2).plus(settings().timingTolerance()).toMillis());
        assertThat(receiveDuringAbsenceWait(consumer)).isEmpty();
    }

    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT, Capability.COMPETING_CONSUMERS})
    default void aHeldDeliveryIsRedeliveredAfterTheAckTimeoutWhileItsHolderDoesNotReceive() {
        String topic = name("holder");
        Duration timeout = ackTimeout();
        ConsumerOptions options = options(topic, name("g")).ackTimeout(timeout).build();
        Consumer a = consumer(options);
        Consumer b = closeAfterTest(newClient().consumer(options));
        Message sent = Message.builder().payload("held").id(name("msg")).build();
        producer(topic).send(sent).join();
        Delivery held = null;
        Consumer holder = null;
        Consumer other = null;
        // the broker may hand the message to a member during its previous receive (read-ahead), so the ack timeout is
        // counted from the start of that member's previous receive
        Map<Consumer, Long> previousCallStart = new java.util.HashMap<>();
        long heldAt = 0;
        long end = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (held == null && System.nanoTime() < end) {
            for (Consumer c : List.of(a, b)) {
                long callStart = System.nanoTime();
                Optional<Delivery> d = c.receive(Duration.ofMillis(100));
                if (d.isPresent()) {
                    held = d.get();
                    holder = c;
                    other = c == a ? b : a;
                    heldAt = previousCallStart.getOrDefault(c, callStart);
                    break;
                }
                previousCallStart.put(c, callStart);
            }
        }
        assertThat(held).as("one member receives the message").isNotNull();
        assertThat(held.message().id()).isEqualTo(sent.id());
        Delivery again;
        boolean movedInARebalance = false;
        if (client().capabilities().ackTimeoutRedelivery() == AckTimeoutRedelivery.MAY_WAIT_FOR_HOLDER) {
            // declared: it comes again to the member that owns its partition (the holder, or the member a rebalance gave
            // the partition to), on that member's next receive
            Map.Entry<Consumer, Delivery> got = receiveFromEither(holder, other);
            again = got.getValue();
            movedInARebalance = got.getKey() != holder;
            observe("aHeldDeliveryIsRedeliveredAfterTheAckTimeoutWhileItsHolderDoesNotReceive",
                    "redelivered to " + (got.getKey() == holder ? "the member that held it" : "the other member")
                            + " on its next receive (declared: to the owner of its partition)");
        } else {
            again = receiveOne(other);
        }
        assertThat(again.message().id()).isEqualTo(sent.id());
        if (movedInARebalance) {
            // the partition went to the other member in a rebalance (the members joined while the test ran): it reads
            // from the group's committed offset at once, not at the ack timeout; the holder no longer owns the message
            // and must not settle it
            Delivery stale = held;
            Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(() -> stale.ack().join());
            assertThat(refusal).as("the ack of the member that lost the partition").isNotNull()
                    .satisfiesAnyOf(t -> assertThat(t).isInstanceOf(io.anymq.SettlementException.class),
                            t -> assertThat(t).hasCauseInstanceOf(io.anymq.SettlementException.class));
        } else {
            assertThat(Duration.ofNanos(System.nanoTime() - heldAt)).isGreaterThanOrEqualTo(timeout.minus(settings().timingTolerance()));
        }
        if (declares(Capability.DELIVERY_COUNT)) {
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(held.deliveryCount()).as("the expired delivery keeps the count it was received with").isEqualTo(1);
        }
        again.ack().join();
    }

    /** Receives from both members in turn until one gets a delivery; returns who got what. */
    private Map.Entry<Consumer, Delivery> receiveFromEither(Consumer first, Consumer second) {
        long end = System.nanoTime() + settings().receiveTimeout().plus(ackTimeout()).toNanos();
        while (System.nanoTime() < end) {
            for (Consumer c : List.of(first, second)) {
                Optional<Delivery> d = c.receive(Duration.ofMillis(100));
                if (d.isPresent()) {
                    return Map.entry(c, d.get());
                }
            }
        }
        throw new AssertionError("nothing arrived on '" + first.topic() + "' for either member within " + settings().receiveTimeout());
    }
}
