package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Fan-out across groups, competing consumers inside one, and many producers at once. */
public interface GroupScenarios extends TckContext {

    private static Set<String> texts(List<Delivery> deliveries) {
        Set<String> s = new HashSet<>();
        deliveries.forEach(d -> s.add(TckContext.text(d)));
        return s;
    }

    @Test
    @Requires(Capability.FANOUT_GROUPS)
    default void everyGroupReceivesEveryMessage() {
        String topic = name("fanout");
        Consumer one = consumer(topic, name("g1"));
        Consumer two = consumer(topic, name("g2"));
        Producer producer = producer(topic);
        int n = 100;
        for (int i = 0; i < n; i++) {
            producer.send("m" + i);
        }
        producer.flush();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            expected.add("m" + i);
        }
        assertThat(texts(receive(one, n, true))).isEqualTo(expected);
        assertThat(texts(receive(two, n, true))).isEqualTo(expected);
    }

    @Test
    @Requires(Capability.COMPETING_CONSUMERS)
    default void competingConsumersShareTheMessagesWithoutOverlap() throws Exception {
        String topic = name("compete");
        String group = name("g");
        int members = 3;
        int n = settings().scaled(300);
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            consumers.add(consumer(topic, group));
        }
        Producer producer = producer(topic);
        Map<String, List<Integer>> receivedBy = new ConcurrentHashMap<>();
        try (MemberLoops loops = new MemberLoops(consumers, (c, member) -> {
            for (Delivery d : c.receive(16, Duration.ofMillis(100))) {
                receivedBy.computeIfAbsent(TckContext.text(d), k -> Collections.synchronizedList(new ArrayList<>())).add(member);
                d.ack();
            }
        })) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sends.add(producer.send("m" + i));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            loops.awaitUntil(() -> receivedBy.size() >= n, settings().receiveTimeout().multipliedBy(3));
            Thread.sleep(settings().absenceWait().toMillis()); // a message that reaches two members would show now
            loops.stop();
        }
        assertThat(receivedBy).hasSize(n);
        Map<String, List<Integer>> twice = new HashMap<>();
        receivedBy.forEach((m, who) -> {
            if (who.size() > 1) {
                twice.put(m, who);
            }
        });
        assertThat(twice).as("messages that reached more than one delivery although every one was acked").isEmpty();
        long used = receivedBy.values().stream().map(l -> l.get(0)).distinct().count();
        observe("competingConsumersShareTheMessagesWithoutOverlap", n + " messages over " + used + " of " + members + " members");
    }

    /**
     * Members of one group that take deliveries with {@code receive}, one at a time, and together need three ack timeouts
     * for the backlog. A delivery a member's driver read ahead waits there until the application asks for it; where the
     * broker runs the ack timeout from its hand-out, one that waited too long was taken over by the other member while
     * this one still handed it out, and both worked on it. Every message is acked, no ack is refused, and the
     * application handles at most 5 % more deliveries than messages.
     */
    @Test
    @Requires({Capability.COMPETING_CONSUMERS, Capability.ACK_TIMEOUT})
    default void membersThatReceiveABacklogSlowerThanTheAckTimeoutWorkThroughItWithoutOverlap() throws Exception {
        String topic = name("pullbacklog");
        String group = name("g");
        Duration timeout = ackTimeout();
        int members = 2;
        long handlingMillis = Math.max(10, timeout.toMillis() / 20);
        int n = 3 * 20 * members;
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            consumers.add(consumer(options(topic, group).ackTimeout(timeout).build()));
        }
        Producer producer = producer(topic);
        for (int i = 0; i < n; i++) {
            producer.send("r" + i);
        }
        producer.flush();
        SlowHandling handling = new SlowHandling(handlingMillis, declares(Capability.DELIVERY_COUNT));
        try (MemberLoops loops = new MemberLoops(consumers, (c, member) -> {
            for (Delivery d : c.receive(1, Duration.ofMillis(100))) {
                handling.handle(d);
            }
        })) {
            loops.awaitUntil(() -> handling.acked().size() >= n, settings().receiveTimeout().plus(timeout.multipliedBy(10)));
            loops.stop();
        }
        observe("membersThatReceiveABacklogSlowerThanTheAckTimeoutWorkThroughItWithoutOverlap", n + " messages, " + members
                + " members receiving one at a time: " + handling.acked().size() + " acked, " + handling.calls() + " handled, "
                + handling.refused() + " acks refused; ack timeout " + timeout.toMillis() + " ms, " + handlingMillis + " ms each"
                + (handling.counts() ? "; " + handling.countedUnseen() + " with deliveries counted that the application did not see" : ""));
        assertThat(handling.acked()).as("messages acked (%d handled, %d acks refused)", handling.calls(), handling.refused()).hasSize(n);
        assertThat(handling.refused()).as("acks refused because the ack timeout ran out before the application received the delivery")
                .isZero();
        assertThat(handling.calls()).as("deliveries handled for %d messages", n).isLessThanOrEqualTo(n + n / 20);
        assertThat(handling.countedUnseen()).as("deliveries whose count was above the times the application had received the message")
                .isLessThanOrEqualTo(n / 20);
    }

    @Test
    default void concurrentProducersAreAllReceived() throws Exception {
        String topic = name("producers");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        int threads = 20;
        int each = settings().scaled(500);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<CompletableFuture<?>> sends = new ArrayList<>(each);
                    for (int i = 0; i < each; i++) {
                        sends.add(producer.send(thread + ":" + i));
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int total = threads * each;
        Map<String, Integer> counts = new HashMap<>();
        List<Delivery> got = receive(consumer, total, true);
        got.forEach(d -> counts.merge(TckContext.text(d), 1, Integer::sum));
        receiveDuringAbsenceWait(consumer).forEach(d -> counts.merge(TckContext.text(d), 1, Integer::sum));
        long duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        observe("concurrentProducersAreAllReceived", total + " sent by " + threads + " threads, " + counts.size()
                + " distinct received, " + duplicates + " duplicates");
        assertThat(counts).hasSize(total);
        if (!declares(Capability.AT_LEAST_ONCE)) {
            assertThat(duplicates).isZero();
        }
    }
}
