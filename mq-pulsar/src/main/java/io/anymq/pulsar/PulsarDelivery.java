package io.anymq.pulsar;

import io.anymq.spi.AbstractDriverDelivery;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One received Pulsar message. ack and reject acknowledge it (with ack receipts, so the future
 * completes when the broker has the ack); nack and release go through the group's retry topic where
 * the mode has one (Shared, Key_Shared); in Failover, release asks the broker to redeliver this
 * member's unacknowledged messages (the subscription rewinds, so order is kept).
 */
final class PulsarDelivery extends AbstractDriverDelivery {
    private final PulsarConsumerDriver owner;
    private final Consumer<byte[]> consumer;
    private final Message<byte[]> received;

    PulsarDelivery(PulsarConsumerDriver owner, Consumer<byte[]> consumer, Message<byte[]> m, io.anymq.Message message, int count) {
        super(message, count);
        this.owner = owner;
        this.consumer = consumer;
        this.received = m;
    }

    @Override
    public CompletableFuture<Void> ack() {
        return owner.track(consumer.acknowledgeAsync(received.getMessageId()), "acknowledge");
    }

    /** Acknowledges in a transaction: the ack takes effect when the transaction commits. */
    CompletableFuture<Void> ack(org.apache.pulsar.client.api.transaction.Transaction txn) {
        return consumer.acknowledgeAsync(received.getMessageId(), txn);
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        Retries retries = owner.retries();
        if (retries == null) {
            // only reachable through release in Failover: NACK_REDELIVERY is not declared there
            return release();
        }
        return owner.track(retries.send(received, delay).thenCompose(v -> consumer.acknowledgeAsync(received.getMessageId())),
                "redeliver through the retry topic");
    }

    @Override
    public CompletableFuture<Void> reject() {
        return ack();
    }

    @Override
    public CompletableFuture<Void> release() {
        if (owner.retries() != null) {
            return nack(Duration.ZERO);
        }
        consumer.redeliverUnacknowledgedMessages();
        return CompletableFuture.completedFuture(null);
    }
}
