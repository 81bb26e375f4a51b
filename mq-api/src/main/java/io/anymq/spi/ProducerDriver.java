package io.anymq.spi;

import io.anymq.Message;
import io.anymq.Receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic. The core hands it messages that are already checked and stamped (id and
 * timestamp set, except what the driver takes from the broker's position: see
 * {@link #namesMessagesByPosition()} and {@link #timesMessagesByPosition()}), and bounds how many
 * sends are in flight. Must be thread-safe.
 */
public interface ProducerDriver {

    /** Sends; the future completes when the broker holds the message per the backend's guarantee. */
    CompletableFuture<Receipt> send(Message message);

    /**
     * Whether a message sent without an id gets its id from where the broker put it (Kafka:
     * topic, partition and offset; a stream's entry id) instead of from the SDK. When true, the core
     * hands such messages over with a null id; the driver sends no id for them, its receipt carries
     * the id made from the position, and its consumer driver gives the delivered message the same id
     * (stable across redeliveries, as a position is). A message that came with an id keeps it, and
     * the driver sends it as it always does. This spares every message the bytes of an id where the
     * broker already has a unique name for it. Default false: the SDK generates the id.
     */
    default boolean namesMessagesByPosition() {
        return false;
    }

    /**
     * Whether a message sent without a timestamp is timed by the broker: its timestamp is the time
     * the broker appended it, as the position records it (a Redis stream entry id, a JetStream
     * message's metadata). When true, the core hands such messages over with a null timestamp; the
     * driver sends none, its receipt carries the broker's time, and its consumer driver gives the
     * delivered message the same time. A message that came with a timestamp keeps it. Default false:
     * the SDK stamps the send time.
     */
    default boolean timesMessagesByPosition() {
        return false;
    }

    /**
     * Sends in one operation; only called when the driver declares {@code BATCH_SEND}. The default
     * sends one by one, for drivers whose native client batches by itself.
     */
    default CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        List<CompletableFuture<Receipt>> futures = new ArrayList<>(messages.size());
        for (Message m : messages) {
            futures.add(send(m));
        }
        return Coalescer.allInOrder(futures);
    }

    /**
     * How many single sends the core may gather into one {@link #sendBatch} call, for a driver whose
     * batch costs about what one send costs (one script call, one round trip): while a batch is
     * under way, the sends that come meanwhile wait and go together in the next one (see
     * {@link Coalescer}: no timer, no latency added when idle). A producer's own batches go the same
     * way, so they keep their place after the single sends before them, and are carried in calls of
     * at most this size. 0 (the default): every send goes to {@link #send} on the caller's thread,
     * for drivers whose native client batches by itself.
     */
    default int coalescedSends() {
        return 0;
    }

    /**
     * Pushes out anything the driver buffers, without waiting for the broker's answers: the core waits for the
     * futures itself, up to its own timeout (a native flush that blocks until every send is answered, as Kafka's
     * does for up to {@code delivery.timeout.ms}, would hold a close past its timeout). One that throws makes a
     * close report that not every send is known to have gone out; {@code Producer.flush} throws it.
     */
    default void flush() {
    }

    /** Releases resources. The core has waited for in-flight sends (up to the close timeout). */
    void close();
}
