package io.anymq.rocketmq;

import io.anymq.spi.AbstractDriverDelivery;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One received message, settled through the SimpleConsumer that received it: ack → ack; nack(delay) →
 * change the invisible duration to the delay (the broker redelivers after it, counting one more
 * attempt); release → the same with {@link #RELEASE_DELAY}; reject → ack (the core has dead-lettered
 * it first). A settlement the broker refuses because the receipt handle expired (the ack timeout
 * passed) fails with {@code SettlementException(EXPIRED)}.
 */
final class RocketMqDelivery extends AbstractDriverDelivery {
    /** How long a released message stays invisible: the shortest the broker takes without doubt. */
    static final Duration RELEASE_DELAY = Duration.ofMillis(1);

    private final SimpleConsumer consumer;
    private final MessageView view;

    RocketMqDelivery(SimpleConsumer consumer, MessageView view) {
        super(RocketMqMessages.fromNative(view), view.getDeliveryAttempt());
        this.consumer = consumer;
        this.view = view;
    }

    MessageView view() {
        return view;
    }

    @Override
    public CompletableFuture<Void> ack() {
        return settle(consumer.ackAsync(view), "ack");
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        Duration d = delay.compareTo(RELEASE_DELAY) < 0 ? RELEASE_DELAY : delay;
        return settle(consumer.changeInvisibleDurationAsync(view, d), "nack");
    }

    @Override
    public CompletableFuture<Void> reject() {
        return ack();
    }

    @Override
    public CompletableFuture<Void> release() {
        return nack(RELEASE_DELAY);
    }

    private CompletableFuture<Void> settle(CompletableFuture<?> f, String what) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(RocketMqErrors.map(e, "RocketMQ refused the " + what + " of message " + message().id()));
            } else {
                out.complete(null);
            }
        });
        return out;
    }
}
