package io.anymq.spi;

import io.anymq.Message;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A delivery of a driver that settles in batches ({@link ConsumerDriver#settlementBatch()}): the
 * core hands its settlements to {@link ConsumerDriver#settle}, and a settlement made on the delivery
 * itself is a batch of one.
 */
public abstract class BatchSettledDelivery extends AbstractDriverDelivery {
    private final ConsumerDriver driver;

    /**
     * A delivery settled through its consumer driver's batches.
     *
     * @param message       the message as it was sent
     * @param deliveryCount 1 on the first delivery to the group
     * @param driver        the consumer driver whose {@link ConsumerDriver#settle} settles it
     */
    protected BatchSettledDelivery(Message message, int deliveryCount, ConsumerDriver driver) {
        super(message, deliveryCount);
        this.driver = driver;
    }

    @Override
    public final CompletableFuture<Void> ack() {
        return alone(Settlement.Kind.ACK, Duration.ZERO);
    }

    @Override
    public final CompletableFuture<Void> nack(Duration delay) {
        return alone(Settlement.Kind.NACK, delay);
    }

    @Override
    public final CompletableFuture<Void> reject() {
        return alone(Settlement.Kind.REJECT, Duration.ZERO);
    }

    @Override
    public final CompletableFuture<Void> release() {
        return alone(Settlement.Kind.RELEASE, Duration.ZERO);
    }

    private CompletableFuture<Void> alone(Settlement.Kind kind, Duration delay) {
        return driver.settle(List.of(new Settlement(this, kind, delay))).thenCompose(failures -> failures.get(0) == null
                ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failures.get(0)));
    }
}
