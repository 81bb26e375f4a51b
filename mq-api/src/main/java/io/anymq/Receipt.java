package io.anymq;

import java.time.Instant;
import java.util.Objects;

/**
 * What the broker confirmed for one sent message.
 *
 * @param topic     the topic the message was sent to
 * @param messageId the message's id, as given or as stamped by the SDK
 * @param timestamp the message's timestamp
 * @param position  where the broker put it, in the broker's own terms (for example
 *                  {@code partition 3, offset 42}); may be empty, never null
 */
public record Receipt(String topic, String messageId, Instant timestamp, String position) {
    public Receipt {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(timestamp, "timestamp");
        position = position == null ? "" : position;
    }
}
