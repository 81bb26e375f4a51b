package io.anymq;

/**
 * What a backend can do. Each provider declares a set truthfully; the conformance suite tests every
 * declared capability and checks that every undeclared one that can be asked for is refused with
 * {@link UnsupportedCapabilityException}. The payload limit is not in this enum but in
 * {@link Capabilities#maxPayloadBytes()}.
 */
public enum Capability {
    /** Accepted messages survive a broker restart (in the configuration the URL selects). Informational. */
    PERSISTENCE("messages survive a broker restart"),
    /** Once send completed, the message reaches every group until acked. Without it: at-most-once. */
    AT_LEAST_ONCE("a completed send reaches every group until acked"),
    /** Every group of a topic receives every message. */
    FANOUT_GROUPS("every group receives every message"),
    /** The members of a group share its messages. */
    COMPETING_CONSUMERS("members of a group share its messages"),
    /** Messages of one key from one producer reach a group in send order. Asked for by {@code ConsumerOptions.keyOrdered}. */
    KEY_ORDERING("per-key order within a group"),
    /** {@code Delivery.nack(delay)} redelivers the message after the delay. */
    NACK_REDELIVERY("nack redelivers after a delay"),
    /** An unsettled delivery is redelivered after the group's ack timeout. Asked for by {@code ConsumerOptions.ackTimeout}. */
    ACK_TIMEOUT("unsettled deliveries are redelivered after a timeout"),
    /** {@code Delivery.deliveryCount()} counts deliveries to the group. Asked for by calling it, or by {@code maxDeliveries}. */
    DELIVERY_COUNT("deliveries are counted"),
    /** {@code Message.deliverAt} is honoured. Asked for by sending a message that has one. */
    DELAYED_DELIVERY("messages are held until their delivery time"),
    /** Rejected messages, and those over the maximum deliveries, go to a dead-letter topic. Asked for by {@code ConsumerOptions.deadLetterTopic}. */
    DEAD_LETTER("rejected and exhausted messages go to a dead-letter topic"),
    /** A new group can start at the earliest retained message. Asked for by {@code StartPosition.EARLIEST}. */
    REPLAY_FROM_EARLIEST("a new group can start at the earliest message"),
    /** A new group can start at the first message stored at or after a point in time. Asked for by {@code StartPosition.at(Instant)}. */
    START_AT_TIME("a new group can start at a point in time"),
    /** Key, headers and id are stored in the broker's own fields, readable by native clients. Informational. */
    NATIVE_HEADERS("headers are the broker's own"),
    /** {@code Producer.sendBatch} sends many messages in one operation. */
    BATCH_SEND("many messages in one send operation"),
    /**
     * Atomic sends: the sends of one {@link Transaction}, to one or more topics, all take effect at commit or
     * none does. Asked for by {@link MessagingClient#beginTransaction()}.
     */
    TRANSACTIONS("a transaction's sends take effect together or not at all"),
    /**
     * Consume-process-produce: a {@link Transaction}'s acks of deliveries from this client commit together with
     * its sends. Asked for by {@link Transaction#ack(Delivery)}.
     */
    TRANSACTIONAL_ACK("a transaction's acks commit with its sends"),
    /**
     * Keys and header values that are bytes, not UTF-8 text, are kept exactly. Asked for by sending a
     * message with such a key or value ({@code Message.Builder.keyBytes(byte[])}, {@code headerBytes(String, byte[])}).
     */
    BINARY_DATA("keys and header values may be any bytes"),
    /** A header without a value (null, as Kafka has) is kept. Asked for by sending a message with one. */
    NULL_HEADER_VALUES("a header may have no value"),
    /**
     * A header name may occur more than once in a message (as Kafka and NATS allow), every value kept in
     * order. Asked for by sending such a message ({@code Message.Builder.addHeader}).
     */
    REPEATED_HEADERS("a header name may occur more than once"),
    /**
     * A topic, its messages and its groups can be deleted through the portable API. Asked for by
     * {@code MessagingClient.deleteTopic}. What the conformance suite and {@code mq verify} use to remove
     * what they made.
     */
    TOPIC_DELETION("topics and their groups can be deleted");

    private final String description;

    Capability(String description) {
        this.description = description;
    }

    /** One line that says what the capability means. */
    public String description() {
        return description;
    }
}
