package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.Receipt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches, and a close that flushes. */
public interface ProducerScenarios extends TckContext {

    @Test
    @Requires(Capability.BATCH_SEND)
    default void aBatchArrivesWhole() {
        String topic = name("batch");
        Consumer consumer = consumer(topic, name("g"));
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(Message.of("b" + i));
        }
        List<Receipt> receipts = producer(topic).sendBatch(batch).join();
        assertThat(receipts).hasSize(50);
        assertThat(receive(consumer, 50, true)).hasSize(50);
    }

    @Test
    @Requires(Capability.BATCH_SEND)
    default void aBatchWithOneBadEntryIsRefusedWholeAndNothingOfItArrives() {
        String topic = name("badbatch");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        // a reserved header name: refused at send by the core, before anything of the batch goes out
        List<Message> batch = List.of(Message.of("good-0"), Message.builder().payload("bad").header("anymq-bad", "x").build(), Message.of("good-2"));
        Throwable refused = null;
        try {
            producer.sendBatch(batch).join();
        } catch (RuntimeException e) {
            refused = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        }
        assertThat(refused).as("the batch with a bad entry").isInstanceOf(io.anymq.InvalidMessageException.class);
        producer.send(Message.of("marker")).join();
        List<String> arrived = new ArrayList<>();
        for (Delivery d : receive(consumer, 1, true)) {
            arrived.add(TckContext.text(d));
        }
        for (Delivery d : receiveFor(consumer, Duration.ofMillis(200))) {
            arrived.add(TckContext.text(d));
        }
        assertThat(arrived).as("what arrived after the refused batch and a marker").containsExactly("marker");
    }

    @Test
    default void closingAProducerFlushesEverySend() throws Exception {
        String topic = name("flush");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = client().producer(topic);
        int threads = 20;
        int each = settings().scaled(10_000) / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        producer.send(thread + ":" + i); // not waited for: close must
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(producer.close(Duration.ofSeconds(60))).as("close drained in time").isTrue();
        assertThat(producer.inFlight()).isZero();
        Set<String> got = new HashSet<>();
        for (Delivery d : receive(consumer, threads * each, true)) {
            got.add(TckContext.text(d));
        }
        assertThat(got).hasSize(threads * each);
    }

    /**
     * A producer whose sending thread is interrupted again and again keeps its promises: each send is
     * confirmed or fails with a typed {@link MessagingException}, every confirmed message arrives, and the
     * producer and its client stay usable, for that thread and for others.
     */
    @Test
    default void aProducerWhoseThreadIsInterruptedAgainAndAgainKeepsItsPromises() throws Exception {
        String topic = name("sendintr");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        int n = 300;
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Map<String, String> examples = new ConcurrentHashMap<>();
        AtomicReference<Throwable> untyped = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                String text = "s" + i;
                Throwable failed = null;
                try {
                    producer.send(text).join();
                    confirmed.add(text);
                } catch (CompletionException e) {
                    failed = e.getCause();
                } catch (Throwable e) {
                    failed = e;
                }
                if (failed instanceof MessagingException) {
                    failures.computeIfAbsent(failed.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    examples.putIfAbsent(failed.getClass().getSimpleName(), String.valueOf(failed.getMessage()));
                } else if (failed != null) {
                    untyped.compareAndSet(null, failed);
                }
                Thread.interrupted();
            }
        }, "tck-interrupted-sender");
        Thread interrupter = TckContext.interrupter(sender, 3, stop);
        sender.start();
        interrupter.start();
        sender.join(settings().receiveTimeout().toMillis() * 6);
        stop.set(true);
        interrupter.join(5000);
        assertThat(sender.isAlive()).as("the sender still sending").isFalse();
        assertThat(untyped.get()).as("a send that failed with something other than a MessagingException").isNull();
        assertThat(confirmed).as("confirmed sends (failures: %s)", failures).isNotEmpty();
        producer.send("after").join();
        Set<String> missing = new HashSet<>(confirmed);
        missing.add("after");
        long deadline = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Optional<Delivery> d = consumer.receive(Duration.ofMillis(500));
            if (d.isPresent()) {
                missing.remove(TckContext.text(d.get()));
                d.get().ack();
            }
        }
        assertThat(missing).as("confirmed messages that did not arrive").isEmpty();
        observe("aProducerWhoseThreadIsInterruptedAgainAndAgainKeepsItsPromises",
                confirmed.size() + " of " + n + " confirmed while interrupted; failures " + failures + " " + examples);
    }

    /**
     * A send from a thread whose interrupt flag is already set (a framework thread that left it set, a task
     * that restored it) is carried out like any other and leaves the flag as it found it: sending does not
     * wait for anything an interrupt should stop while the producer has room.
     */
    @Test
    default void aSendFromAThreadWithItsInterruptFlagSetIsCarriedOutAndTheFlagKept() throws Exception {
        String topic = name("sendflag");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        int n = 20;
        List<String> outcomes = new ArrayList<>();
        AtomicBoolean flagLost = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                Thread.currentThread().interrupt();
                try {
                    producer.send("f" + i).join();
                } catch (RuntimeException e) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    outcomes.add("f" + i + ": " + cause);
                }
                if (!Thread.interrupted()) {
                    flagLost.set(true);
                }
            }
        }, "tck-flagged-sender");
        sender.start();
        sender.join(settings().receiveTimeout().toMillis() * 3);
        assertThat(sender.isAlive()).as("the sender still sending").isFalse();
        assertThat(outcomes).as("sends that failed").isEmpty();
        assertThat(flagLost.get()).as("a send cleared the thread's interrupt flag").isFalse();
        Set<String> got = new HashSet<>();
        for (Delivery d : receive(consumer, n, true)) {
            got.add(TckContext.text(d));
        }
        assertThat(got).hasSize(n);
    }
}
