package io.anymq.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One settlement the core hands to a driver that settles in batches ({@link ConsumerDriver#settlementBatch()}).
 *
 * @param delivery the delivery it settles
 * @param kind     what happens to it
 * @param delay    for {@link Kind#NACK}: redeliver no sooner than this; zero otherwise
 */
public record Settlement(DriverDelivery delivery, Kind kind, Duration delay) {

    /** The settlements a driver carries out: the same as {@link DriverDelivery}'s methods. */
    public enum Kind {
        /** Done: never again for this group. */
        ACK,
        /** Redeliver no sooner than the delay, counting one more delivery. */
        NACK,
        /** Never redeliver to this group (the core has dead-lettered it first where configured). */
        REJECT,
        /** Give it back to the group: the consumer closes, or the ack timeout passed. */
        RELEASE
    }

    /**
     * Checks the settlement; a null delay is zero.
     *
     * @param delivery the delivery it settles
     * @param kind     what happens to it
     * @param delay    the nack delay, or null for zero
     */
    public Settlement {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(kind, "kind");
        delay = delay == null ? Duration.ZERO : delay;
    }
}
