package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-key order within a group: of one member, and of several competing members. */
public interface OrderingScenarios extends TckContext {

    @Test
    @Requires(Capability.KEY_ORDERING)
    default void perKeyOrderHolds() {
        String topic = name("order");
        int keys = 16;
        int n = 1000;
        Consumer consumer = consumer(options(topic, name("g")).keyOrdered(true).build());
        Producer producer = producer(topic);
        for (int i = 0; i < n; i++) {
            int key = i % keys;
            producer.send(Message.builder().payload(Integer.toString(i / keys)).key("k" + key).build());
        }
        producer.flush();
        Map<String, List<Integer>> seen = new HashMap<>();
        for (Delivery d : receive(consumer, n, true)) {
            seen.computeIfAbsent(d.message().key(), k -> new ArrayList<>()).add(Integer.parseInt(TckContext.text(d)));
        }
        assertThat(seen).hasSize(keys);
        int perKey = n / keys;
        for (Map.Entry<String, List<Integer>> e : seen.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                expected.add(i);
            }
            assertThat(e.getValue()).as("order of key %s", e.getKey()).isEqualTo(expected);
            assertThat(e.getValue().size()).isBetween(perKey, perKey + 1);
        }
    }

    /**
     * #17 with competing members: 1,000 messages over 16 keys from one producer to a group of three members, each
     * handling what it receives one at a time and acking it (the first rounds paced until every member has handled
     * one, so that the work is shared where the group assigns it late; how it was shared is observed, not asserted). Every message is settled, and per key the group handles
     * in send order ({@link KeyOrder}: no message is handled before the earlier ones of its key are done anywhere in
     * the group, none goes backwards past a settled one; a redelivery that does not go backwards is counted, not failed).
     */
    @Test
    @Requires({Capability.KEY_ORDERING, Capability.COMPETING_CONSUMERS})
    default void perKeyOrderHoldsAcrossCompetingMembers() throws InterruptedException {
        String scenario = "perKeyOrderHoldsAcrossCompetingMembers";
        String topic = name("ordergroup");
        String group = name("g");
        int keys = 16;
        int n = 1000;
        KeyOrder order = new KeyOrder(d -> Integer.parseInt(TckContext.text(d)));
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> handledBy = new ConcurrentHashMap<>();
        List<Thread> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            Consumer member = consumer(options(topic, group).keyOrdered(true).build());
            String memberName = "member-" + m;
            KeyOrder.Member handler = order.member(memberName);
            AtomicInteger mine = handledBy.computeIfAbsent(memberName, k -> new AtomicInteger());
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        List<Delivery> batch = member.receive(32, Duration.ofMillis(200));
                        handler.received();
                        for (Delivery d : batch) {
                            handler.handle(d);
                            mine.incrementAndGet();
                        }
                    } catch (io.anymq.ClosedException closed) {
                        return;
                    }
                }
            }, "tck-" + scenario + "-" + memberName);
            t.setDaemon(true);
            t.start();
            members.add(t);
        }
        Producer producer = producer(topic);
        // a round (one message of each key) every 50 ms until every member handled one, for at most the receive
        // timeout: where members get their share only after the group rebalanced (Kafka), the work is then shared
        int i = 0;
        long pacedUntil = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (i < n && handledBy.values().stream().anyMatch(h -> h.get() == 0) && System.nanoTime() < pacedUntil) {
            for (int round = 0; round < keys && i < n; round++, i++) {
                producer.send(Message.builder().payload(Integer.toString(i / keys)).key("k" + i % keys).build());
            }
            producer.flush();
            Thread.sleep(50);
        }
        for (; i < n; i++) {
            producer.send(Message.builder().payload(Integer.toString(i / keys)).key("k" + i % keys).build());
        }
        producer.flush();
        long end = System.nanoTime() + settings().receiveTimeout().multipliedBy(6).toNanos();
        while (order.settledPerKey().values().stream().mapToInt(Integer::intValue).sum() < n && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread t : members) {
            t.join(5000);
        }
        order.awaitAcks(settings().receiveTimeout());
        observe(scenario, "handled per member " + new java.util.TreeMap<>(handledBy) + "; " + order.duplicates()
                + " settled again (redelivered after an ack), " + order.refused() + " acks refused (taken away, redelivered)");
        assertThat(order.violations(10)).as("per-key order across the group").isEmpty();
        for (int k = 0; k < keys; k++) {
            int perKey = n / keys + (k < n % keys ? 1 : 0);
            assertThat(order.settledOf("k" + k)).as("messages of key k%d settled", k).hasSize(perKey).last().isEqualTo(perKey - 1);
        }
    }
}
