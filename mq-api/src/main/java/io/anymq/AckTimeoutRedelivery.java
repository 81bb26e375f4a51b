package io.anymq;

/**
 * Who gets a delivery again once it was held unsettled past its ack timeout
 * ({@link Capability#ACK_TIMEOUT}); a backend declares it in its {@link Capabilities}.
 */
public enum AckTimeoutRedelivery {
    /** Another member of the group gets it, even while the member that held it does not receive. */
    ANY_MEMBER,
    /**
     * It may come again only to the member that held it (or the member that took over its share of the
     * topic, such as a Kafka partition), on that member's next receive: a member that stopped receiving
     * without closing keeps what it held.
     */
    MAY_WAIT_FOR_HOLDER
}
