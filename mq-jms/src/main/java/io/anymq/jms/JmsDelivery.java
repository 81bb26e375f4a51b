package io.anymq.jms;

import io.anymq.Message;
import io.anymq.spi.BatchSettledDelivery;

/**
 * One received JMS message. Its delivery count is the deliveries before this copy (carried by a
 * resent copy) plus the broker's {@code JMSXDeliveryCount} of this copy. Every dialect settles in batches
 * ({@link JmsConsumerDriver#settle}), so a settlement of this delivery alone is a batch of one.
 */
final class JmsDelivery extends BatchSettledDelivery {
    private final jakarta.jms.Message raw;
    /** The connection's reconnects before the receive that took it ({@link Dialect#reconnects}). */
    private final long reconnects;

    JmsDelivery(JmsConsumerDriver owner, jakarta.jms.Message raw, Message message, int count, long reconnects) {
        super(message, count, owner);
        this.raw = raw;
        this.reconnects = reconnects;
    }

    long reconnects() {
        return reconnects;
    }

    jakarta.jms.Message raw() {
        return raw;
    }
}
