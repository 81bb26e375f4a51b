package io.anymq;

import java.time.Instant;
import java.util.Objects;

/**
 * What the broker confirmed for one sent message: the topic, the message's id and timestamp, and
 * where the broker put it, in the broker's own terms (for example {@code partition 3, offset 42};
 * may be empty, never null). Immutable.
 *
 * <p>Drivers that confirm very many messages can use {@link #of(String, Message, long)}, which
 * formats the id and position only when someone reads them.
 */
public final class Receipt {
    private static final long NO_SEQUENCE = Long.MIN_VALUE;

    private final String topic;
    private final Message message;
    private final long sequence;
    private String messageId;
    private Instant timestamp;
    private String position;

    /**
     * A receipt with every field known.
     *
     * @param topic     the topic the message went to
     * @param messageId the message's id
     * @param timestamp the message's timestamp
     * @param position  where the broker put it (see {@link #position()}), or null for none
     */
    public Receipt(String topic, String messageId, Instant timestamp, String position) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.position = position == null ? "" : position;
        this.message = null;
        this.sequence = NO_SEQUENCE;
    }

    private Receipt(String topic, Message message, long sequence) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.message = Objects.requireNonNull(message, "message");
        this.sequence = sequence;
    }

    /**
     * A receipt for a sent (stamped) message whose position is a sequence number; the id, timestamp
     * and position text are made on first read.
     */
    public static Receipt of(String topic, Message message, long sequence) {
        return new Receipt(topic, message, sequence);
    }

    /**
     * The topic the message went to.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }

    /**
     * The message's id: the one it was sent with, or the one the SDK or the broker gave it.
     *
     * @return the id
     */
    public String messageId() {
        String id = messageId;
        if (id == null) {
            id = message.id();
            messageId = id;
        }
        return id;
    }

    /**
     * The message's timestamp: the one it was sent with, or the send time.
     *
     * @return the timestamp
     */
    public Instant timestamp() {
        Instant t = timestamp;
        if (t == null) {
            t = message.timestamp();
            timestamp = t;
        }
        return t;
    }

    /**
     * Where the broker put the message, in the broker's terms (an offset, an entry id, a sequence),
     * for logs and tools.
     *
     * @return the position, or empty when the broker gives none
     */
    public String position() {
        String p = position;
        if (p == null) {
            p = sequence == NO_SEQUENCE ? "" : Long.toString(sequence);
            position = p;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && topic.equals(r.topic) && messageId().equals(r.messageId())
                && timestamp().equals(r.timestamp()) && position().equals(r.position());
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, messageId(), timestamp(), position());
    }

    @Override
    public String toString() {
        return "Receipt[topic=" + topic + ", messageId=" + messageId() + ", timestamp=" + timestamp() + ", position=" + position() + "]";
    }
}
