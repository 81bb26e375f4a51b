package io.anymq.memcached;

import io.anymq.spi.BatchSettledDelivery;
import io.anymq.spi.ConsumerDriver;

/**
 * One delivery: a lease on message n of the group. Settled in batches by the consumer
 * ({@link GroupConsumer#settle}): one multi-get of the states, then a {@code cas} each.
 */
final class Lease extends BatchSettledDelivery {
    private final GroupLog.Taken taken;

    Lease(GroupLog.Taken taken, ConsumerDriver consumer) {
        super(taken.message(), taken.count(), consumer);
        this.taken = taken;
    }

    GroupLog.Taken taken() {
        return taken;
    }
}
