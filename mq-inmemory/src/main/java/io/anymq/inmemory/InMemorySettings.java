package io.anymq.inmemory;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;

/**
 * Settings of an in-memory broker, from the URL's options.
 *
 * @param capacity        how many messages a topic retains at most (acked or not)
 * @param blockWhenFull   whether a send to a full topic waits (true) or fails at once (false)
 * @param blockTimeout    how long a send waits for room before it fails
 * @param maxPayloadBytes the largest payload a send accepts
 */
record InMemorySettings(int capacity, boolean blockWhenFull, Duration blockTimeout, long maxPayloadBytes) {
    static final int DEFAULT_CAPACITY = 100_000;
    static final long DEFAULT_MAX_PAYLOAD = 8L * 1024 * 1024;

    enum WhenFull { BLOCK, FAIL }

    static InMemorySettings from(MessagingConfig config) {
        int capacity = config.getInt("capacity", DEFAULT_CAPACITY);
        if (capacity < 1) {
            throw new ConfigurationException("option 'capacity' must be at least 1: " + capacity);
        }
        WhenFull whenFull = config.getEnum("when-full", WhenFull.class, WhenFull.BLOCK);
        Duration blockTimeout = config.getDuration("block-timeout", Duration.ofSeconds(30));
        long maxPayload = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (maxPayload < 0 || maxPayload > Integer.MAX_VALUE - 64) {
            throw new ConfigurationException("option 'max-payload' must be between 0 and " + (Integer.MAX_VALUE - 64) + ": " + maxPayload);
        }
        return new InMemorySettings(capacity, whenFull == WhenFull.BLOCK, blockTimeout, maxPayload);
    }
}
