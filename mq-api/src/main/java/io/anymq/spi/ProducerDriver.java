package io.anymq.spi;

import io.anymq.Message;
import io.anymq.Receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic. The core hands it messages that are already checked and stamped (id and
 * timestamp set), and bounds how many sends are in flight. Must be thread-safe.
 */
public interface ProducerDriver {

    /** Sends; the future completes when the broker holds the message per the backend's guarantee. */
    CompletableFuture<Receipt> send(Message message);

    /**
     * Sends in one operation; only called when the driver declares {@code BATCH_SEND}. The default
     * sends one by one, for drivers whose native client batches by itself.
     */
    default CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        List<CompletableFuture<Receipt>> futures = new ArrayList<>(messages.size());
        for (Message m : messages) {
            futures.add(send(m));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Receipt> receipts = new ArrayList<>(futures.size());
            for (CompletableFuture<Receipt> f : futures) {
                receipts.add(f.join());
            }
            return receipts;
        });
    }

    /** Pushes out anything the driver buffers. The core waits for the futures itself. */
    default void flush() {
    }

    /** Releases resources. The core has waited for in-flight sends (up to the close timeout). */
    void close();
}
