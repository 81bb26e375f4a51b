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
