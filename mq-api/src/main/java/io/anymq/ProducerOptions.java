package io.anymq;

import java.time.Duration;
import java.util.Objects;

/**
 * How a producer behaves: made with {@link #of(String)} or {@link #builder(String)}. Immutable.
 *
 * <p>A final class with a builder rather than a record, so that options can be added later
 * without breaking code compiled against this version.
 */
public final class ProducerOptions {

    /** What a send does when the in-flight window is full. */
    public enum WhenFull {
        /** Wait for room, up to the block timeout. The default. */
        BLOCK,
        /** Fail at once with {@link BackpressureException}. */
        FAIL
    }

    /** The default {@link #maxInFlight()}: 1,024 unconfirmed sends. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** The default {@link #maxInFlightBytes()}: 16 MiB of unconfirmed payload. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 16L * 1024 * 1024;
    /** The default {@link #blockTimeout()}: 30 seconds. */
    public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #closeTimeout()}: 30 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final int maxInFlight;
    private final long maxInFlightBytes;
    /** Payload bytes per place of the window: {@code maxInFlightBytes / maxInFlight}, at least 1. */
    private final long bytesPerPlace;
    private final WhenFull whenFull;
    private final Duration blockTimeout;
    private final Duration closeTimeout;

    private ProducerOptions(Builder b) {
        Names.checkTopic(b.topic);
        if (b.maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight must be at least 1: " + b.maxInFlight);
        }
        if (b.maxInFlightBytes < 1) {
            throw new ConfigurationException("maxInFlightBytes must be at least 1: " + b.maxInFlightBytes);
        }
        Objects.requireNonNull(b.whenFull, "whenFull");
        requireNonNegative("blockTimeout", b.blockTimeout);
        requireNonNegative("closeTimeout", b.closeTimeout);
        this.topic = b.topic;
        this.maxInFlight = b.maxInFlight;
        this.maxInFlightBytes = b.maxInFlightBytes;
        this.bytesPerPlace = Math.max(1, b.maxInFlightBytes / b.maxInFlight);
        this.whenFull = b.whenFull;
        this.blockTimeout = b.blockTimeout;
        this.closeTimeout = b.closeTimeout;
    }

    /**
     * Options for this topic with every default.
     *
     * @param topic the topic the producer sends to
     * @return the options
     * @throws InvalidNameException the topic breaks the portable naming rule
     */
    public static ProducerOptions of(String topic) {
        return builder(topic).build();
    }

    /**
     * A builder for a producer of this topic, with every default set.
     *
     * @param topic the topic the producer sends to (checked by {@link Builder#build()})
     * @return a new builder
     */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /**
     * A builder that starts from these options.
     *
     * @return a new builder with every value of these options
     */
    public Builder toBuilder() {
        return new Builder(topic).maxInFlight(maxInFlight).maxInFlightBytes(maxInFlightBytes).whenFull(whenFull).blockTimeout(blockTimeout)
                .closeTimeout(closeTimeout);
    }

    /**
     * The topic the producer sends to.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }

    /**
     * How many sends may be unconfirmed at once: the window that bounds memory.
     *
     * @return at least 1; {@value #DEFAULT_MAX_IN_FLIGHT} by default
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * How many payload bytes may be unconfirmed at once: the window's bound in bytes, beside
     * {@link #maxInFlight()}'s in sends. The window has {@code maxInFlight} places of
     * {@code maxInFlightBytes / maxInFlight} bytes each (16 KiB by default); a send takes one place, and a
     * larger payload one more place per started share (a 64 KiB payload four places by default), at most
     * the whole window, so that one message of any size can still go alone. Without it a producer of
     * large messages keeps {@code maxInFlight} of them queued towards a broker that cannot take them as fast
     * (4 producers × 1,024 × 64 KiB = 256 MiB), and on a broker whose client times out queued requests
     * (RocketMQ's 3 s) the sends time out, are tried again and stored twice.
     *
     * @return at least 1; {@value #DEFAULT_MAX_IN_FLIGHT_BYTES} by default
     */
    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /**
     * How many places of the in-flight window a send of this payload size takes (see
     * {@link #maxInFlightBytes()}): 1 up to {@code maxInFlightBytes / maxInFlight} bytes, one more per
     * started share beyond, at most {@link #maxInFlight()}.
     *
     * @param payloadBytes the payload's size in bytes
     * @return between 1 and {@link #maxInFlight()}
     */
    public int windowPlaces(long payloadBytes) {
        if (payloadBytes <= bytesPerPlace) {
            return 1;
        }
        return (int) Math.min(maxInFlight, (payloadBytes + bytesPerPlace - 1) / bytesPerPlace);
    }

    /**
     * What a send does when the window is full.
     *
     * @return {@link WhenFull#BLOCK} by default
     */
    public WhenFull whenFull() {
        return whenFull;
    }

    /**
     * With {@link WhenFull#BLOCK}: how long a send waits for room before it fails with
     * {@link BackpressureException}.
     *
     * @return zero or positive; 30 seconds by default
     */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    /**
     * How long {@code close()} waits for unconfirmed sends.
     *
     * @return zero or positive; 30 seconds by default
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    static void requireNonNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigurationException(what + " must be zero or positive: " + d);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerOptions p && topic.equals(p.topic) && maxInFlight == p.maxInFlight
                && maxInFlightBytes == p.maxInFlightBytes && whenFull == p.whenFull && blockTimeout.equals(p.blockTimeout)
                && closeTimeout.equals(p.closeTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, maxInFlight, maxInFlightBytes, whenFull, blockTimeout, closeTimeout);
    }

    @Override
    public String toString() {
        return "ProducerOptions{topic=" + topic + ", maxInFlight=" + maxInFlight + ", maxInFlightBytes=" + maxInFlightBytes
                + ", whenFull=" + whenFull
                + ", blockTimeout=" + blockTimeout + ", closeTimeout=" + closeTimeout + '}';
    }

    /** Collects producer options; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private final String topic;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private WhenFull whenFull = WhenFull.BLOCK;
        private Duration blockTimeout = DEFAULT_BLOCK_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder(String topic) {
            this.topic = topic;
        }

        /**
         * Sets {@link ProducerOptions#maxInFlight()}.
         *
         * @param maxInFlight how many sends may be unconfirmed at once, at least 1
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Sets {@link ProducerOptions#maxInFlightBytes()}.
         *
         * @param maxInFlightBytes how many payload bytes may be unconfirmed at once, at least 1
         * @return this builder
         */
        public Builder maxInFlightBytes(long maxInFlightBytes) {
            this.maxInFlightBytes = maxInFlightBytes;
            return this;
        }

        /**
         * Sets {@link ProducerOptions#whenFull()}.
         *
         * @param whenFull what a send does when the window is full
         * @return this builder
         */
        public Builder whenFull(WhenFull whenFull) {
            this.whenFull = whenFull;
            return this;
        }

        /**
         * Sets {@link ProducerOptions#blockTimeout()}.
         *
         * @param blockTimeout how long a send waits for room, zero or positive
         * @return this builder
         */
        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
            return this;
        }

        /**
         * Sets {@link ProducerOptions#closeTimeout()}.
         *
         * @param closeTimeout how long closing waits for unconfirmed sends, zero or positive
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Checks the options and makes them.
         *
         * @return the options
         * @throws InvalidNameException   the topic breaks the portable naming rule
         * @throws ConfigurationException a value is out of range
         */
        public ProducerOptions build() {
            return new ProducerOptions(this);
        }
    }
}
