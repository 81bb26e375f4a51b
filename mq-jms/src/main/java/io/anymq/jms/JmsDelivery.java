package io.anymq.jms;

import io.anymq.Message;
import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One received JMS message. Its delivery count is the deliveries before this copy (carried by a
 * resent copy) plus the broker's {@code JMSXDeliveryCount} of this copy.
 */
final class JmsDelivery implements DriverDelivery {
    private final JmsConsumerDriver owner;
    private final jakarta.jms.Message raw;
    private final Message message;
    private final int count;

    JmsDelivery(JmsConsumerDriver owner, jakarta.jms.Message raw, Message message, int count) {
        this.owner = owner;
        this.raw = raw;
        this.message = message;
        this.count = count;
    }

    jakarta.jms.Message raw() {
        return raw;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public int deliveryCount() {
        return count;
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
