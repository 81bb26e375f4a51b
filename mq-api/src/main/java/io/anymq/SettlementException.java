package io.anymq;

/**
 * A delivery could not be settled as asked. {@link #reason()} says why. None of these reasons is
 * retryable: the delivery is gone from this consumer, and the group will see the message again
 * (unless it was already settled).
 */
public class SettlementException extends MessagingException {
    /** Why a settlement was refused. */
    public enum Reason {
        /** The delivery was already acked, nacked or rejected: a delivery settles exactly once. */
        ALREADY_SETTLED,
        /** The ack timeout passed first; the message was returned to the group for redelivery. */
        EXPIRED,
        /** The consumer was closed; its unsettled deliveries were returned to the group. */
        CONSUMER_CLOSED,
        /** The broker took the message away from this consumer (a rebalance, a lost lock). */
        REVOKED
    }

    private final Reason reason;

    /**
     * A refused settlement.
     *
     * @param reason  why
     * @param message the delivery and what was asked
     */
    public SettlementException(Reason reason, String message) {
        super(message, false);
        this.reason = reason;
    }

    /**
     * A refused settlement, with a cause.
     *
     * @param reason  why
     * @param message the delivery and what was asked
     * @param cause   the broker's error
     */
    public SettlementException(Reason reason, String message, Throwable cause) {
        super(message, cause, false);
        this.reason = reason;
    }

    /**
     * Why the settlement was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
