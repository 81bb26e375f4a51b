package io.anymq.spi;

import io.anymq.Message;

/**
 * Header names the SDK itself uses. All start with {@link Message#RESERVED_HEADER_PREFIX}; users
 * cannot send them. Drivers that store fields in headers (the id in Kafka, say) use these names
 * and take them out again when they rebuild a message.
 */
public final class ReservedHeaders {
    /** The prefix of every reserved header name, {@value}. */
    public static final String PREFIX = Message.RESERVED_HEADER_PREFIX;
    /** The message id, where the broker has no field for it. */
    public static final String ID = PREFIX + "id";
    /** The SDK timestamp in epoch milliseconds, where the broker has no field for it. */
    public static final String TIMESTAMP = PREFIX + "timestamp";
    /** The delivery time in epoch milliseconds, where it is carried as a header. */
    public static final String DELIVER_AT = PREFIX + "deliver-at";
    /** On a dead-lettered message: why ({@code rejected} or {@code max-deliveries}). */
    public static final String DEAD_LETTER_REASON = PREFIX + "dead-letter-reason";
    /** On a dead-lettered message: the topic it came from. */
    public static final String ORIGINAL_TOPIC = PREFIX + "original-topic";
    /** On a dead-lettered message: the group that gave up on it. */
    public static final String ORIGINAL_GROUP = PREFIX + "original-group";
    /** On a dead-lettered message: its delivery count when it was given up. */
    public static final String DELIVERY_COUNT = PREFIX + "delivery-count";

    private ReservedHeaders() {
    }

    /** Whether the name starts with the reserved prefix (ignoring case). */
    public static boolean isReserved(String name) {
        return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
