package io.anymq;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer behaves. A consumer is one member of a group of one topic.
 *
 * @param topic           the topic
 * @param group           the group (subscription) it joins; every group gets every message, the
 *                        members of a group share them
 * @param startPosition   where the group starts if it does not exist yet
 * @param ackTimeout      how long a delivery may stay unsettled before it is redelivered; null for
 *                        the backend's default. Setting it needs {@link Capability#ACK_TIMEOUT}
 * @param maxDeliveries   after this many deliveries a message is dead-lettered instead of
 *                        redelivered; 0 for no limit. Setting it needs {@link Capability#DELIVERY_COUNT}
 * @param deadLetterTopic where rejected and exhausted messages go; null for nowhere (they are
 *                        dropped). Setting it needs {@link Capability#DEAD_LETTER}
 * @param maxInFlight     how many deliveries this consumer may hold unsettled at once; receive
 *                        and push dispatch fetch no more than that
 * @param keyOrdered      whether per-key order is required; needs {@link Capability#KEY_ORDERING}
 */
public record ConsumerOptions(String topic, String group, StartPosition startPosition, Duration ackTimeout,
                              int maxDeliveries, String deadLetterTopic, int maxInFlight, boolean keyOrdered) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /**
     * The longest ack timeout: 24 days (what brokers that count it in 32-bit milliseconds can hold).
     * A longer one is refused rather than cut silently.
     */
    public static final Duration MAX_ACK_TIMEOUT = Duration.ofDays(24);

    public ConsumerOptions {
        Names.checkTopic(topic);
        Names.checkGroup(group);
        Objects.requireNonNull(startPosition, "startPosition");
        if (ackTimeout != null && (ackTimeout.isNegative() || ackTimeout.isZero())) {
            throw new ConfigurationException("ackTimeout must be positive: " + ackTimeout);
        }
        if (ackTimeout != null && ackTimeout.compareTo(MAX_ACK_TIMEOUT) > 0) {
            throw new ConfigurationException("ackTimeout may be at most " + MAX_ACK_TIMEOUT.toDays() + " days: " + ackTimeout);
        }
        if (maxDeliveries < 0) {
            throw new ConfigurationException("maxDeliveries must be 0 (no limit) or more: " + maxDeliveries);
        }
        if (deadLetterTopic != null) {
            Names.checkTopic(deadLetterTopic);
            if (deadLetterTopic.equals(topic)) {
                throw new ConfigurationException("the dead-letter topic may not be the consumed topic '" + topic + "'");
            }
        }
        if (maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight must be at least 1: " + maxInFlight);
        }
    }

    /** Options for this topic and group with every default. */
    public static ConsumerOptions of(String topic, String group) {
        return builder(topic, group).build();
    }

    public static Builder builder(String topic, String group) {
        return new Builder(topic, group);
    }

    public static final class Builder {
        private final String topic;
        private final String group;
        private StartPosition startPosition = StartPosition.LATEST;
        private Duration ackTimeout;
        private int maxDeliveries;
        private String deadLetterTopic;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private boolean keyOrdered;

        private Builder(String topic, String group) {
            this.topic = topic;
            this.group = group;
        }

        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder keyOrdered(boolean keyOrdered) {
            this.keyOrdered = keyOrdered;
            return this;
        }

        public ConsumerOptions build() {
            return new ConsumerOptions(topic, group, startPosition, ackTimeout, maxDeliveries, deadLetterTopic,
                    maxInFlight, keyOrdered);
        }
    }
}
