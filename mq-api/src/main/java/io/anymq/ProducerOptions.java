package io.anymq;

import java.time.Duration;
import java.util.Objects;

/**
 * How a producer behaves.
 *
 * @param topic         the topic it sends to
 * @param maxInFlight   how many sends may be unconfirmed at once; the window that bounds memory
 * @param whenFull      what a send does when the window is full
 * @param blockTimeout  with {@link WhenFull#BLOCK}: how long a send waits for room before failing
 *                      with {@link BackpressureException}
 * @param closeTimeout  how long {@code close()} waits for unconfirmed sends
 * @param transactional whether sends are transactional; needs {@link Capability#TRANSACTIONS}
 */
public record ProducerOptions(String topic, int maxInFlight, WhenFull whenFull, Duration blockTimeout,
                              Duration closeTimeout, boolean transactional) {

    /** What a send does when the in-flight window is full. */
    public enum WhenFull {
        /** Wait for room, up to the block timeout. The default. */
        BLOCK,
        /** Fail at once with {@link BackpressureException}. */
        FAIL
    }

    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    public ProducerOptions {
        Names.checkTopic(topic);
        if (maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight must be at least 1: " + maxInFlight);
        }
        Objects.requireNonNull(whenFull, "whenFull");
        requireNonNegative("blockTimeout", blockTimeout);
        requireNonNegative("closeTimeout", closeTimeout);
    }

    /** Options for this topic with every default. */
    public static ProducerOptions of(String topic) {
        return builder(topic).build();
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    static void requireNonNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigurationException(what + " must be zero or positive: " + d);
        }
    }

    public static final class Builder {
        private final String topic;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private WhenFull whenFull = WhenFull.BLOCK;
        private Duration blockTimeout = DEFAULT_BLOCK_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private boolean transactional;

        private Builder(String topic) {
            this.topic = topic;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder whenFull(WhenFull whenFull) {
            this.whenFull = whenFull;
            return this;
        }

        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        public Builder transactional(boolean transactional) {
            this.transactional = transactional;
            return this;
        }

        public ProducerOptions build() {
            return new ProducerOptions(topic, maxInFlight, whenFull, blockTimeout, closeTimeout, transactional);
        }
    }
}
