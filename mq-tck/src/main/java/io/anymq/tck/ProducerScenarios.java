package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.Receipt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
}
