package io.anymq;

import java.util.concurrent.CompletableFuture;

/**
 * A unit of work on one client that takes effect at {@link #commit()} or not at all: sends to one or
 * more topics and, where {@link Capability#TRANSACTIONAL_ACK} is declared, acks of deliveries this
 * client's consumers received (consume-process-produce). Nothing of it is visible to readers before
 * the commit; an {@link #abort()} (or a commit that fails with a known outcome) leaves no send behind
 * and returns every delivery it acked to its group, to be delivered again.
 *
 * <p>Made by {@link MessagingClient#beginTransaction()} or used through
 * {@link MessagingClient#inTransaction(java.util.function.Function)}. One thread at a time: a
 * transaction is not meant to be shared. The core gathers the work and hands it to the backend as
 * one whole at commit, so a transaction's sends are checked when they are made (size, names,
 * reserved headers) but reach the broker only at commit; their futures complete then, with their
 * receipts, or fail with {@link TransactionException}.
 *
 * <p>Closing a transaction that was neither committed nor aborted aborts it: with
 * try-with-resources, an exception before {@code commit()} leaves nothing behind.
 */
public interface Transaction extends AutoCloseable {

    /**
     * Adds a send to the transaction.
     *
     * @param topic   the topic to send to
     * @param message the message
     * @return completes at commit with the receipt; fails with {@link TransactionException} when the
     *         transaction aborts or its commit fails
     * @throws InvalidNameException            if the topic name is not legal
     * @throws InvalidMessageException         if the message is null or uses a reserved header
     * @throws MessageTooLargeException        if the payload is over the backend's limit
     * @throws UnsupportedCapabilityException  if the message needs what the backend cannot do (a delivery time, bytes)
     * @throws IllegalStateException           if the transaction is no longer open
     */
    CompletableFuture<Receipt> send(String topic, Message message);

    /**
     * Adds a send of a text payload to the transaction.
     *
     * @param topic   the topic to send to
     * @param payload the payload, as UTF-8
     * @return as {@link #send(String, Message)}
     */
    default CompletableFuture<Receipt> send(String topic, String payload) {
        return send(topic, Message.of(payload));
    }

    /**
     * Acks a delivery as part of the transaction: it is settled when the commit succeeds, and returned to
     * its group when the transaction aborts. From this call on the delivery takes no other settlement,
     * and its ack timeout no longer runs in the core (a broker may still enforce its own: see the
     * backend's README).
     *
     * @param delivery a delivery received by a consumer of this transaction's client, not settled yet
     * @throws UnsupportedCapabilityException if the backend does not declare {@link Capability#TRANSACTIONAL_ACK}
     * @throws IllegalArgumentException       if the delivery is null or comes from another client
     * @throws SettlementException            if the delivery is already settled, expired or its consumer closed
     * @throws IllegalStateException          if the transaction is no longer open
     */
    void ack(Delivery delivery);

    /**
     * Makes every send and ack of the transaction take effect, together. Returns once the backend
     * confirmed the commit; the sends' futures are complete by then.
     *
     * @throws TransactionException  if the commit failed: {@link TransactionException#outcome()} says
     *                               whether nothing took effect ({@code ABORTED}) or it is not known
     *                               ({@code UNKNOWN}: a lost connection during the commit)
     * @throws IllegalStateException if the transaction is no longer open
     */
    void commit();

    /**
     * Drops every send and returns every acked delivery to its group. Does nothing once the
     * transaction is committed or aborted.
     */
    void abort();

    /**
     * Whether the transaction can still take sends and acks (neither committed nor aborted).
     *
     * @return true until {@link #commit()} or {@link #abort()}
     */
    boolean isOpen();

    /** Aborts the transaction if it is still open. */
    @Override
    void close();
}
