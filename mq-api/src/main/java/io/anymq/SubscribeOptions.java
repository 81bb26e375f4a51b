package io.anymq;

import java.time.Duration;

/**
 * How a push subscription dispatches deliveries to its handler.
 *
 * @param concurrency   how many handler calls may run at once (worker threads)
 * @param serialPerKey  whether deliveries of one key are handled one at a time, in order (keyless
 *                      deliveries are spread over the workers). The default is true
 * @param retryDelay    the nack delay when the handler throws
 * @param shutdownGrace how long closing the subscription waits for running handlers
 */
public record SubscribeOptions(int concurrency, boolean serialPerKey, Duration retryDelay, Duration shutdownGrace) {

    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public SubscribeOptions {
        if (concurrency < 1) {
            throw new ConfigurationException("concurrency must be at least 1: " + concurrency);
        }
        ProducerOptions.requireNonNegative("retryDelay", retryDelay);
        ProducerOptions.requireNonNegative("shutdownGrace", shutdownGrace);
    }

    /** One handler at a time. */
    public static SubscribeOptions defaults() {
        return concurrency(1);
    }

    /** Up to this many handler calls at once, serial per key, with the default retry delay. */
    public static SubscribeOptions concurrency(int concurrency) {
        return new SubscribeOptions(concurrency, true, DEFAULT_RETRY_DELAY, DEFAULT_SHUTDOWN_GRACE);
    }

    public SubscribeOptions withSerialPerKey(boolean serial) {
        return new SubscribeOptions(concurrency, serial, retryDelay, shutdownGrace);
    }

    public SubscribeOptions withRetryDelay(Duration delay) {
        return new SubscribeOptions(concurrency, serialPerKey, delay, shutdownGrace);
    }
}
