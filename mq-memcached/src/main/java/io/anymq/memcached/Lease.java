package io.anymq.memcached;

import io.anymq.spi.AbstractDriverDelivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One delivery: a lease on message n of the group, settled by {@link Settler} on the caller's thread. */
final class Lease extends AbstractDriverDelivery {
    private final GroupLog.Taken taken;
    private final Settler settler;

    Lease(GroupLog.Taken taken, Settler settler) {
        super(taken.message(), taken.count());
        this.taken = taken;
        this.settler = settler;
    }

    @Override
    public CompletableFuture<Void> ack() {
        return run(Settler.Outcome.ACK, Duration.ZERO);
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        return run(Settler.Outcome.GIVE_BACK, delay);
    }

    @Override
    public CompletableFuture<Void> reject() {
        return run(Settler.Outcome.REJECT, Duration.ZERO);
    }

    private CompletableFuture<Void> run(Settler.Outcome outcome, Duration delay) {
        try {
            settler.settle(taken, outcome, delay);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
