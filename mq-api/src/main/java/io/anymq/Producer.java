package io.anymq;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to one topic. Thread-safe; share one producer between threads.
 *
 * <p>A send is checked first (the message's size, reserved headers, capabilities it needs) and
 * refused with a typed exception before anything reaches the broker. Unconfirmed sends are
 * bounded by the in-flight window ({@link ProducerOptions#maxInFlight()}): when it is full, a send
 * blocks or fails, as configured. Memory never grows without limit.
 */
public interface Producer extends AutoCloseable {

    /**
     * The topic this producer sends to.
     *
     * @return the topic name
     */
    String topic();

    /**
     * Sends one message. The future completes when the broker holds the message (per the backend's
     * guarantee) and fails with a {@link MessagingException} otherwise.
     *
     * @param message the message; its id and timestamp are stamped when missing
     * @return the receipt, when the broker holds the message
     * @throws MessageTooLargeException       payload over the backend's maximum
     * @throws InvalidMessageException        a reserved header name
     * @throws UnsupportedCapabilityException a delivery time without {@link Capability#DELAYED_DELIVERY}
     * @throws BackpressureException          the in-flight window stayed full
     * @throws ClosedException                the producer is closed
     */
    CompletableFuture<Receipt> send(Message message);

    /**
     * Sends the UTF-8 text as a message's payload.
     *
     * @param text the payload
     * @return the receipt, when the broker holds the message
     */
    default CompletableFuture<Receipt> send(String text) {
        return send(Message.of(text));
    }

    /**
     * Sends many messages in one operation, in order. Needs {@link Capability#BATCH_SEND}. The
     * future completes when all are held, with their receipts in the same order. A batch is not a
     * transaction: when the future fails, the broker may hold a part of the batch (on {@code mem:}
     * the messages before the one that found no room; on Kafka those whose records were written), so
     * sending it again can duplicate them, never lose them. For all or nothing, send in a
     * {@link Transaction} where the backend declares {@link Capability#TRANSACTIONS}.
     *
     * @param messages the messages, in order
     * @return the receipts in the same order, when the broker holds every message
     * @throws UnsupportedCapabilityException without {@link Capability#BATCH_SEND}
     */
    CompletableFuture<List<Receipt>> sendBatch(List<Message> messages);

    /** Blocks until every send made before this call has completed or failed. */
    void flush();

    /**
     * The number of sends that have not yet completed.
     *
     * @return the count, at most the producer's {@link ProducerOptions#maxInFlight()}
     */
    int inFlight();

    /**
     * Stops accepting sends, waits up to the close timeout for unconfirmed ones, and releases the
     * producer. A second close does nothing. Sends still unconfirmed at the timeout are in doubt: one
     * the broker confirms later completes; else it fails with a {@link ConnectionException} or a
     * {@link MessagingTimeoutException} saying it may or may not have been stored, when the producer's
     * own resources go (a backend whose producer has a channel or connection of its own), when the
     * native client gives up on it (Kafka: {@code delivery.timeout.ms}), or at the latest when the
     * client closes. A close from a thread whose interrupt flag is set does all of this and leaves the
     * flag set; an interrupt that comes while it waits ends the wait, and close throws
     * {@link MessagingInterruptedException} once the producer is released.
     */
    @Override
    void close();

    /**
     * {@link #close()} with an explicit timeout.
     *
     * @param timeout how long to wait for unconfirmed sends; not null ({@link IllegalArgumentException})
     * @return whether every send completed in time
     */
    boolean close(Duration timeout);
}
