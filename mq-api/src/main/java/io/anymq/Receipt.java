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

    public String topic() {
        return topic;
    }

    public String messageId() {
        String id = messageId;
        if (id == null) {
            id = message.id();
            messageId = id;
        }
        return id;
    }

    public Instant timestamp() {
        Instant t = timestamp;
        if (t == null) {
            t = message.timestamp();
            timestamp = t;
        }
        return t;
    }

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
