package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Producer;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Push-style consumption: handler outcomes, concurrency, and stopping. */
public interface PushScenarios extends TckContext {

    @Test
    @Requires(Capability.NACK_REDELIVERY)
    default void aHandlerExceptionNacksAndTheMessageComesAgain() {
        String topic = name("pushfail");
        Consumer consumer = consumer(topic, name("g"));
        producer(topic).send("fragile").join();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        Subscription s = closeAfterTest(consumer.subscribe(d -> {
            int attempt = attempts.computeIfAbsent(d.message().id(), k -> new AtomicInteger()).incrementAndGet();
            if (attempt == 1) {
                throw new IllegalStateException("first attempt fails on purpose");
            }
            handled.add(TckContext.text(d));
        }, SubscribeOptions.builder().retryDelay(Duration.ofMillis(100)).build()));
        await().atMost(settings().receiveTimeout()).until(() -> handled.contains("fragile"));
        assertThat(attempts.values()).singleElement().satisfies(a -> assertThat(a.get()).isEqualTo(2));
        s.close();
    }

    @Test
    default void theConfiguredConcurrencyIsHonoured() {
        String topic = name("pushconc");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        int n = 40;
        for (int i = 0; i < n; i++) {
            producer.send("c" + i);
        }
        producer.flush();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int concurrency = 4;
        closeAfterTest(consumer.subscribe(d -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(50);
            } finally {
                running.decrementAndGet();
                done.incrementAndGet();
            }
        }, SubscribeOptions.concurrency(concurrency)));
        await().atMost(settings().receiveTimeout()).until(() -> done.get() >= n);
        assertThat(most.get()).as("most handlers running at once").isLessThanOrEqualTo(concurrency).isGreaterThan(1);
        observe("theConfiguredConcurrencyIsHonoured", "at most " + most.get() + " of " + concurrency + " handlers at once");
    }

    /** Ack gating: with handlers serial per key, the next message of a key is not handled before the previous one settled. */
    @Test
    default void handlersOfOneKeyNeverOverlapAndFollowTheSendOrderWhereDeclared() {
        String topic = name("pushgate");
        Consumer consumer = consumer(options(topic, name("g")).keyOrdered(declares(Capability.KEY_ORDERING)).build());
        Producer producer = producer(topic);
        int keys = 8;
        int n = 200;
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, java.util.List<Integer>> order = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        closeAfterTest(consumer.subscribe(d -> {
            String key = d.message().key();
            if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                order.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                        .add(Integer.parseInt(TckContext.text(d)));
                Thread.sleep(2);
            } finally {
                running.get(key).decrementAndGet();
                done.incrementAndGet();
            }
        }, SubscribeOptions.builder().concurrency(keys).serialPerKey(true).build()));
        for (int i = 0; i < n; i++) {
            producer.send(io.anymq.Message.builder().payload(Integer.toString(i / keys)).key("k" + i % keys).build());
        }
        producer.flush();
        await().atMost(settings().receiveTimeout()).until(() -> done.get() >= n);
        assertThat(overlaps.get()).as("handler calls of one key that overlapped another of the same key").isZero();
        if (declares(Capability.KEY_ORDERING)) {
            order.forEach((key, seen) -> assertThat(seen).as("order of key %s", key).isSorted());
        }
    }

    /**
     * A backlog that takes the handlers three ack timeouts to work through. What the subscription fetched waits for a
     * free handler; if an ack timeout ran out while a delivery waited, every handler call would be on a message given
     * back already, whose ack fails, and whose copy waits and runs out in its turn: no progress at all. Every message is
     * handled and acked, and (almost) each once.
     */
    @Test
    @Requires(Capability.ACK_TIMEOUT)
    default void aBacklogThatTakesTheHandlersLongerThanTheAckTimeoutIsWorkedThrough() {
        workThroughABacklog("pushbacklog", 3 * 20 * 4, false);
    }

    /**
     * The same with handlers serial per key and every message of one key: one handler takes them all, however many
     * handlers there are, so what waits must be bounded per handler, the driver's read-ahead included.
     */
    @Test
    @Requires(Capability.ACK_TIMEOUT)
    default void aBacklogOfOneKeyForHandlersSerialPerKeyIsWorkedThrough() {
        workThroughABacklog("pushbacklogkey", 3 * 20, true);
    }

    private void workThroughABacklog(String prefix, int n, boolean oneKeySerial) {
        String topic = name(prefix);
        Duration timeout = ackTimeout();
        Consumer consumer = consumer(options(topic, name("g")).ackTimeout(timeout).build());
        Producer producer = producer(topic);
        int concurrency = oneKeySerial ? 8 : 4;
        long handlerMillis = Math.max(10, timeout.toMillis() / 20);
        for (int i = 0; i < n; i++) {
            producer.send(oneKeySerial ? io.anymq.Message.builder().payload("b" + i).key("one").build() : io.anymq.Message.of("b" + i));
        }
        producer.flush();
        SlowHandling handling = new SlowHandling(handlerMillis, declares(Capability.DELIVERY_COUNT));
        Subscription s = closeAfterTest(consumer.subscribe(handling::handle,
                SubscribeOptions.builder().concurrency(concurrency).serialPerKey(oneKeySerial).build()));
        String shape = oneKeySerial ? "one key, " + concurrency + " handlers serial per key" : concurrency + " handlers";
        await().atMost(settings().receiveTimeout().plus(timeout.multipliedBy(6))).untilAsserted(() -> assertThat(handling.acked())
                .as("messages acked, %s (%d handler calls so far, %d acks refused)", shape, handling.calls(), handling.refused())
                .hasSize(n));
        int total = handling.calls();
        observe(oneKeySerial ? "aBacklogOfOneKeyForHandlersSerialPerKeyIsWorkedThrough"
                : "aBacklogThatTakesTheHandlersLongerThanTheAckTimeoutIsWorkedThrough", shape + ": " + n + " messages, " + total
                + " handler calls, " + handling.refused() + " acks refused; ack timeout " + timeout.toMillis() + " ms, handler "
                + handlerMillis + " ms" + (handling.counts() ? "; " + handling.countedUnseen() + " with deliveries counted that no handler saw" : ""));
        assertThat(handling.refused()).as("acks refused because the ack timeout ran out before the handler got the delivery, %s", shape)
                .isZero();
        assertThat(total).as("handler calls for %d messages, %s", n, shape).isLessThanOrEqualTo(n + n / 20);
        // a count above the handler calls means the backend gave the message back unseen (and counted it): with
        // maxDeliveries such a message would be dead-lettered before any handler saw it
        assertThat(handling.countedUnseen()).as("handler calls whose delivery count was above the calls the message had, %s", shape)
                .isLessThanOrEqualTo(n / 20);
        s.close();
    }

    @Test
    default void closingTheSubscriptionStopsDeliveries() {
        String topic = name("pushstop");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        AtomicInteger handled = new AtomicInteger();
        Subscription s = consumer.subscribe(d -> handled.incrementAndGet());
        producer.send("before").join();
        await().atMost(settings().receiveTimeout()).until(() -> handled.get() == 1);
        s.close();
        assertThat(s.isActive()).isFalse();
        producer.send("after").join();
        try {
            Thread.sleep(settings().absenceWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(handled.get()).as("deliveries after the subscription closed").isEqualTo(1);
    }

    /**
     * A handler that returns with its thread's interrupt flag set (it caught an
     * {@code InterruptedException} and restored the flag, as it should) does not stop the
     * subscription, with one handler thread or several: every message is handled, once, and the
     * normal return acks it.
     */
    @Test
    default void handlersThatLeaveTheirThreadInterruptedDoNotStopTheSubscription() {
        for (int concurrency : new int[] {1, 4}) {
            String topic = name("pushintr" + concurrency);
            Consumer consumer = consumer(topic, name("g"));
            Producer producer = producer(topic);
            int n = 40;
            Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
            Subscription s = closeAfterTest(consumer.subscribe(d -> {
                handled.computeIfAbsent(TckContext.text(d), k -> new AtomicInteger()).incrementAndGet();
                Thread.currentThread().interrupt();
            }, SubscribeOptions.concurrency(concurrency)));
            for (int i = 0; i < n; i++) {
                producer.send("p" + i).join();
            }
            await().atMost(settings().receiveTimeout()).untilAsserted(() -> assertThat(handled)
                    .as("messages handled with %d handler threads that leave the interrupt flag set", concurrency).hasSize(n));
            try {
                Thread.sleep(settings().absenceWait().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(handled.values()).as("each handled once (the ack after the handler was carried out)")
                    .allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
            assertThat(s.isActive()).isTrue();
            s.close();
        }
    }
}
