package io.anymq;

import java.time.Duration;
import java.util.Objects;

/**
 * How a push subscription dispatches deliveries to its handler: made with {@link #defaults()},
 * {@link #concurrency(int)} or {@link #builder()}. Immutable.
 *
 * <p>A final class with a builder rather than a record, so that options can be added later
 * without breaking code compiled against this version.
 */
public final class SubscribeOptions {

    /** The default {@link #retryDelay()}: 1 second. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    /** The default {@link #shutdownGrace()}: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /**
     * The most handler threads a subscription runs: 1,024 (each is a platform thread; 100,000 took the JVM more than a minute to
     * start). More than the consumer's {@link ConsumerOptions#maxInFlight()} would never all be busy anyway.
     */
    public static final int MAX_CONCURRENCY = 1024;

    private final int concurrency;
    private final boolean serialPerKey;
    private final Duration retryDelay;
    private final Duration shutdownGrace;

    private SubscribeOptions(Builder b) {
        if (b.concurrency < 1 || b.concurrency > MAX_CONCURRENCY) {
            throw new ConfigurationException("concurrency must be 1 to " + MAX_CONCURRENCY + ": " + b.concurrency);
        }
        ProducerOptions.requireNonNegative("retryDelay", b.retryDelay);
        if (b.retryDelay.compareTo(Delivery.MAX_NACK_DELAY) > 0) {
            throw new ConfigurationException("retryDelay may be at most " + Delivery.MAX_NACK_DELAY.toDays()
                    + " days (Delivery.MAX_NACK_DELAY): " + b.retryDelay);
        }
        ProducerOptions.requireNonNegative("shutdownGrace", b.shutdownGrace);
        this.concurrency = b.concurrency;
        this.serialPerKey = b.serialPerKey;
        this.retryDelay = b.retryDelay;
        this.shutdownGrace = b.shutdownGrace;
    }

    /**
     * One handler call at a time, with every other default.
     *
     * @return the options
     */
    public static SubscribeOptions defaults() {
        return builder().build();
    }

    /**
     * Up to this many handler calls at once, serial per key, with every other default.
     *
     * @param concurrency how many handler calls may run at once, 1 to {@link #MAX_CONCURRENCY}
     * @return the options
     * @throws ConfigurationException concurrency is below 1 or above {@link #MAX_CONCURRENCY}
     */
    public static SubscribeOptions concurrency(int concurrency) {
        return builder().concurrency(concurrency).build();
    }

    /**
     * A builder with every default: concurrency 1, serial per key, the default retry delay and
     * shutdown grace.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from these options.
     *
     * @return a new builder with every value of these options
     */
    public Builder toBuilder() {
        return builder().concurrency(concurrency).serialPerKey(serialPerKey).retryDelay(retryDelay)
                .shutdownGrace(shutdownGrace);
    }

    /**
     * How many handler calls may run at once (worker threads).
     *
     * @return at least 1; 1 by default
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Whether deliveries of one key are handled one at a time, in send order (keyless deliveries
     * are spread over the workers).
     *
     * @return true by default
     */
    public boolean serialPerKey() {
        return serialPerKey;
    }

    /**
     * The nack delay when the handler throws.
     *
     * @return zero or positive; {@link #DEFAULT_RETRY_DELAY} by default
     */
    public Duration retryDelay() {
        return retryDelay;
    }

    /**
     * How long closing the subscription waits for running handlers.
     *
     * @return zero or positive; {@link #DEFAULT_SHUTDOWN_GRACE} by default
     */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscribeOptions s && concurrency == s.concurrency && serialPerKey == s.serialPerKey
                && retryDelay.equals(s.retryDelay) && shutdownGrace.equals(s.shutdownGrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, serialPerKey, retryDelay, shutdownGrace);
    }

    @Override
    public String toString() {
        return "SubscribeOptions{concurrency=" + concurrency + ", serialPerKey=" + serialPerKey
                + ", retryDelay=" + retryDelay + ", shutdownGrace=" + shutdownGrace + '}';
    }

    /** Collects subscription options; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private int concurrency = 1;
        private boolean serialPerKey = true;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        /**
         * Sets {@link SubscribeOptions#concurrency()}.
         *
         * @param concurrency how many handler calls may run at once, 1 to {@link SubscribeOptions#MAX_CONCURRENCY}
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Sets {@link SubscribeOptions#serialPerKey()}.
         *
         * @param serialPerKey whether deliveries of one key are handled one at a time, in order
         * @return this builder
         */
        public Builder serialPerKey(boolean serialPerKey) {
            this.serialPerKey = serialPerKey;
            return this;
        }

        /**
         * Sets {@link SubscribeOptions#retryDelay()}.
         *
         * @param retryDelay the nack delay when the handler throws, zero up to {@link Delivery#MAX_NACK_DELAY}
         * @return this builder
         */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        /**
         * Sets {@link SubscribeOptions#shutdownGrace()}.
         *
         * @param shutdownGrace how long closing waits for running handlers, zero or positive
         * @return this builder
         */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /**
         * Checks the options and makes them.
         *
         * @return the options
         * @throws ConfigurationException a value is out of range
         */
        public SubscribeOptions build() {
            return new SubscribeOptions(this);
        }
    }
}
