package io.anymq;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer behaves: made with {@link #of(String, String)} or
 * {@link #builder(String, String)}. A consumer is one member of a group of one topic. Immutable.
 *
 * <p>A final class with a builder rather than a record, so that options can be added later
 * without breaking code compiled against this version.
 */
public final class ConsumerOptions {

    /** The default {@link #maxInFlight()}: 256 unsettled deliveries. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /**
     * The longest ack timeout: 24 days (what brokers that count it in 32-bit milliseconds can hold).
     * A longer one is refused rather than cut silently.
     */
    public static final Duration MAX_ACK_TIMEOUT = Duration.ofDays(24);

    /** The default {@link #connectionLossTimeout()}: 30 seconds. */
    public static final Duration DEFAULT_CONNECTION_LOSS_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final String group;
    private final StartPosition startPosition;
    private final Duration ackTimeout;
    private final int maxDeliveries;
    private final String deadLetterTopic;
    private final int maxInFlight;
    private final boolean keyOrdered;
    private final Duration connectionLossTimeout;

    private ConsumerOptions(Builder b) {
        Names.checkTopic(b.topic);
        Names.checkGroup(b.group);
        Objects.requireNonNull(b.startPosition, "startPosition");
        if (b.ackTimeout != null && (b.ackTimeout.isNegative() || b.ackTimeout.isZero())) {
            throw new ConfigurationException("ackTimeout must be positive: " + b.ackTimeout);
        }
        if (b.ackTimeout != null && b.ackTimeout.compareTo(MAX_ACK_TIMEOUT) > 0) {
            throw new ConfigurationException("ackTimeout may be at most " + MAX_ACK_TIMEOUT.toDays() + " days: " + b.ackTimeout);
        }
        if (b.maxDeliveries < 0) {
            throw new ConfigurationException("maxDeliveries must be 0 (no limit) or more: " + b.maxDeliveries);
        }
        if (b.deadLetterTopic != null) {
            Names.checkTopic(b.deadLetterTopic);
            if (b.deadLetterTopic.equals(b.topic)) {
                throw new ConfigurationException("the dead-letter topic may not be the consumed topic '" + b.topic + "'");
            }
        }
        if (b.maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight must be at least 1: " + b.maxInFlight);
        }
        this.topic = b.topic;
        this.group = b.group;
        this.startPosition = b.startPosition;
        this.ackTimeout = b.ackTimeout;
        this.maxDeliveries = b.maxDeliveries;
        this.deadLetterTopic = b.deadLetterTopic;
        this.maxInFlight = b.maxInFlight;
        this.keyOrdered = b.keyOrdered;
        ProducerOptions.requireNonNegative("connectionLossTimeout", b.connectionLossTimeout);
        this.connectionLossTimeout = b.connectionLossTimeout;
    }

    /**
     * Options for this topic and group with every default.
     *
     * @param topic the topic
     * @param group the group the consumer joins
     * @return the options
     * @throws InvalidNameException the topic or the group breaks the portable naming rule
     */
    public static ConsumerOptions of(String topic, String group) {
        return builder(topic, group).build();
    }

    /**
     * A builder for a consumer of this topic in this group, with every default set.
     *
     * @param topic the topic (checked by {@link Builder#build()})
     * @param group the group the consumer joins (checked by {@link Builder#build()})
     * @return a new builder
     */
    public static Builder builder(String topic, String group) {
        return new Builder(topic, group);
    }

    /**
     * A builder that starts from these options.
     *
     * @return a new builder with every value of these options
     */
    public Builder toBuilder() {
        return new Builder(topic, group).startPosition(startPosition).ackTimeout(ackTimeout)
                .maxDeliveries(maxDeliveries).deadLetterTopic(deadLetterTopic).maxInFlight(maxInFlight)
                .keyOrdered(keyOrdered).connectionLossTimeout(connectionLossTimeout);
    }

    /**
     * The topic.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }

    /**
     * The group (subscription) the consumer joins: every group gets every message, the members of
     * a group share them.
     *
     * @return the group name
     */
    public String group() {
        return group;
    }

    /**
     * Where the group starts if it does not exist yet: {@link StartPosition#LATEST}, {@link StartPosition#EARLIEST}
     * (needs {@link Capability#REPLAY_FROM_EARLIEST}) or {@link StartPosition#at(java.time.Instant)} (needs
     * {@link Capability#START_AT_TIME}). A group that exists keeps its place.
     *
     * @return {@link StartPosition#LATEST} by default
     */
    public StartPosition startPosition() {
        return startPosition;
    }

    /**
     * How long a delivery may stay unsettled before it is redelivered. Setting it needs
     * {@link Capability#ACK_TIMEOUT}.
     *
     * @return a positive duration, or null for the backend's default (the default)
     */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * After this many deliveries a message is dead-lettered instead of redelivered. Setting it
     * needs {@link Capability#DELIVERY_COUNT}.
     *
     * @return the limit, or 0 for no limit (the default)
     */
    public int maxDeliveries() {
        return maxDeliveries;
    }

    /**
     * Where rejected and exhausted messages go. Setting it needs {@link Capability#DEAD_LETTER}.
     *
     * @return the dead-letter topic, or null for nowhere: they are dropped (the default)
     */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /**
     * How many deliveries this consumer may hold unsettled at once; receive and push dispatch
     * fetch no more than that.
     *
     * @return at least 1; {@value #DEFAULT_MAX_IN_FLIGHT} by default
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Whether per-key order is required; asking for it needs {@link Capability#KEY_ORDERING}.
     *
     * @return false by default
     */
    public boolean keyOrdered() {
        return keyOrdered;
    }

    /**
     * How long the client's connection may stay lost (its {@link MessagingClient#health()}
     * {@code RECONNECTING} or {@code DISCONNECTED}) before a receive says so: after that a receive
     * that gets nothing throws {@link ConnectionException} naming the broker and how long, and a push
     * subscription logs it once (then keeps trying). When the connection is back, receiving works
     * again. Counted on what the backend observes (see its README).
     *
     * @return zero or positive; {@link #DEFAULT_CONNECTION_LOSS_TIMEOUT} by default
     */
    public Duration connectionLossTimeout() {
        return connectionLossTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerOptions c && topic.equals(c.topic) && group.equals(c.group)
                && startPosition == c.startPosition && Objects.equals(ackTimeout, c.ackTimeout)
                && maxDeliveries == c.maxDeliveries && Objects.equals(deadLetterTopic, c.deadLetterTopic)
                && maxInFlight == c.maxInFlight && keyOrdered == c.keyOrdered
                && connectionLossTimeout.equals(c.connectionLossTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, group, startPosition, ackTimeout, maxDeliveries, deadLetterTopic, maxInFlight,
                keyOrdered, connectionLossTimeout);
    }

    @Override
    public String toString() {
        return "ConsumerOptions{topic=" + topic + ", group=" + group + ", startPosition=" + startPosition
                + ", ackTimeout=" + ackTimeout + ", maxDeliveries=" + maxDeliveries + ", deadLetterTopic="
                + deadLetterTopic + ", maxInFlight=" + maxInFlight + ", keyOrdered=" + keyOrdered + ", connectionLossTimeout=" + connectionLossTimeout + '}';
    }

    /** Collects consumer options; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private final String topic;
        private final String group;
        private StartPosition startPosition = StartPosition.LATEST;
        private Duration ackTimeout;
        private int maxDeliveries;
        private String deadLetterTopic;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private boolean keyOrdered;
        private Duration connectionLossTimeout = DEFAULT_CONNECTION_LOSS_TIMEOUT;

        private Builder(String topic, String group) {
            this.topic = topic;
            this.group = group;
        }

        /**
         * Sets {@link ConsumerOptions#startPosition()}.
         *
         * @param startPosition where a new group starts
         * @return this builder
         */
        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#ackTimeout()}.
         *
         * @param ackTimeout a positive duration, or null for the backend's default
         * @return this builder
         */
        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#maxDeliveries()}.
         *
         * @param maxDeliveries the limit, or 0 for none
         * @return this builder
         */
        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#deadLetterTopic()}.
         *
         * @param deadLetterTopic a topic other than the consumed one, or null for none
         * @return this builder
         */
        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#maxInFlight()}.
         *
         * @param maxInFlight how many deliveries may be held unsettled at once, at least 1
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#keyOrdered()}.
         *
         * @param keyOrdered whether per-key order is required
         * @return this builder
         */
        public Builder keyOrdered(boolean keyOrdered) {
            this.keyOrdered = keyOrdered;
            return this;
        }

        /**
         * Sets {@link ConsumerOptions#connectionLossTimeout()}.
         *
         * @param connectionLossTimeout how long a lost connection may stay lost before a receive
         *                              throws, zero or positive
         * @return this builder
         */
        public Builder connectionLossTimeout(Duration connectionLossTimeout) {
            this.connectionLossTimeout = connectionLossTimeout;
            return this;
        }

        /**
         * Checks the options and makes them.
         *
         * @return the options
         * @throws InvalidNameException   the topic, the group or the dead-letter topic breaks the
         *                                portable naming rule
         * @throws ConfigurationException a value is out of range, or the dead-letter topic is the
         *                                consumed topic
         */
        public ConsumerOptions build() {
            return new ConsumerOptions(this);
        }
    }
}
