package io.anymq.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flushes the client's producer on a thread of its own. {@code KafkaProducer.flush()} sends what the
 * producer batched and then blocks until every record of the producer (of every topic) is answered,
 * up to {@code delivery.timeout.ms} (2 minutes) while the broker is away; a driver flush only asks for
 * the sending ({@link io.anymq.spi.ProducerDriver#flush}: the core waits for the futures, up to the
 * close timeout). Requests made while one waits to run go with it; one made while a flush runs runs
 * after it (that flush may have begun before the request's sends).
 */
final class KafkaFlusher implements AutoCloseable {
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "anymq-kafka-flush");
        t.setDaemon(true);
        return t;
    });

    /** Asks the producer to send what it batched, without waiting for the answers. */
    void request(KafkaProducer<byte[], byte[]> producer) {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                queued.set(false);
                try {
                    producer.flush();
                } catch (RuntimeException e) {
                    // closed or interrupted: each record's own callback reports its outcome
                }
            });
        } catch (RejectedExecutionException e) {
            queued.set(false); // the client is closing: its producer's close sends what is left
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
