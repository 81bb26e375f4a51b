package io.anymq.jms;

import io.anymq.Message;
import io.anymq.spi.AbstractDriverDelivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One received JMS message. Its delivery count is the deliveries before this copy (carried by a
 * resent copy) plus the broker's {@code JMSXDeliveryCount} of this copy.
 */
final class JmsDelivery extends AbstractDriverDelivery {
    private final JmsConsumerDriver owner;
    private final jakarta.jms.Message raw;
    /** The connection's reconnects before the receive that took it ({@link Dialect#reconnects}). */
    private final long reconnects;

    JmsDelivery(JmsConsumerDriver owner, jakarta.jms.Message raw, Message message, int count, long reconnects) {
        super(message, count);
        this.owner = owner;
        this.raw = raw;
        this.reconnects = reconnects;
    }

    long reconnects() {
        return reconnects;
    }

    jakarta.jms.Message raw() {
        return raw;
    }

    @Override
    public CompletableFuture<Void> ack() {
        return owner.acknowledge(raw, "acknowledge");
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        return owner.resend(this, delay, "nack");
    }

    @Override
    public CompletableFuture<Void> reject() {
        return owner.acknowledge(raw, "reject");
    }

    @Override
    public CompletableFuture<Void> release() {
        return owner.resend(this, Duration.ZERO, "release");
    }
}
