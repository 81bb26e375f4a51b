package io.anymq.inmemory;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;

/**
 * Settings of an in-memory broker, from the URL's options.
 *
 * @param capacity        how many messages a topic retains at most (acked or not)
 * @param maxBytes        how many payload bytes a topic retains at most (acked or not)
 * @param blockWhenFull   whether a send to a full topic waits (true) or fails at once (false)
 * @param blockTimeout    how long a send waits for room before it fails
 * @param maxPayloadBytes the largest payload a send accepts (never more than {@code maxBytes})
 */
record InMemorySettings(int capacity, long maxBytes, boolean blockWhenFull, Duration blockTimeout, long maxPayloadBytes) {
    static final int DEFAULT_CAPACITY = 100_000;
    /** The most messages a topic may retain: its ring's length is a power of two, at most 2^30. */
    static final int MAX_CAPACITY = 1 << 30;
    /** 64 MiB: bounds what a topic holds in the heap whatever the message size (100,000 messages of 64 KiB would be 6.4 GB). */
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    static final long DEFAULT_MAX_PAYLOAD = 8L * 1024 * 1024;

    enum WhenFull { BLOCK, FAIL }

    static final ConfigOption<Integer> CAPACITY = ConfigOption.intOption("capacity", DEFAULT_CAPACITY,
            "messages a topic retains at most, acked or not");
    static final ConfigOption<Long> MAX_BYTES = ConfigOption.longOption("max-bytes", DEFAULT_MAX_BYTES,
            "payload bytes a topic retains at most, acked or not");
    static final ConfigOption<WhenFull> WHEN_FULL = ConfigOption.enumOption("when-full", WhenFull.class, WhenFull.BLOCK,
            "block: a send to a full topic waits; fail: it fails at once with BackpressureException");
    static final ConfigOption<Duration> BLOCK_TIMEOUT = ConfigOption.durationOption("block-timeout", Duration.ofSeconds(30),
            "how long a blocked send waits for room before BackpressureException");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload in bytes (declared as the client's maxPayloadBytes)");
    /** Every option mem: reads; no pass-through (there is no native client). */
    static final ConfigOptions OPTIONS = ConfigOptions.of(CAPACITY, MAX_BYTES, WHEN_FULL, BLOCK_TIMEOUT, MAX_PAYLOAD);

    static InMemorySettings from(MessagingConfig config) {
        int capacity = CAPACITY.get(config);
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new ConfigurationException("option 'capacity' must be between 1 and " + MAX_CAPACITY + ": " + capacity);
        }
        long maxBytes = MAX_BYTES.get(config);
        if (maxBytes < 1) {
            throw new ConfigurationException("option 'max-bytes' must be at least 1: " + maxBytes);
        }
        WhenFull whenFull = WHEN_FULL.get(config);
        Duration blockTimeout = BLOCK_TIMEOUT.get(config);
        long maxPayload = MAX_PAYLOAD.get(config);
        if (maxPayload < 0 || maxPayload > Integer.MAX_VALUE - 64) {
            throw new ConfigurationException("option 'max-payload' must be between 0 and " + (Integer.MAX_VALUE - 64) + ": " + maxPayload);
        }
        // a payload larger than what a topic may hold could never be appended: the core refuses it before the send
        return new InMemorySettings(capacity, maxBytes, whenFull == WhenFull.BLOCK, blockTimeout, Math.min(maxPayload, maxBytes));
    }

    /**
     * Checks a client's configuration against the settings of the broker it names, which its first client fixed: an
     * option the configuration sets (URL, options or {@code MQ_*} variable) must come out as the broker has it. A client
     * that leaves options out gets the broker's.
     *
     * @param asked   the settings the client's configuration gives (its defaults where it sets nothing)
     * @param config  the client's configuration, for which options it sets and where they came from
     * @param broker  the broker's name, for the error
     * @throws ConfigurationException naming every option that differs, both values, and what to do
     */
    void checkJoinedBy(InMemorySettings asked, MessagingConfig config, String broker) {
        StringBuilder differs = new StringBuilder();
        differs(differs, config, CAPACITY.name(), capacity, asked.capacity);
        differs(differs, config, MAX_BYTES.name(), maxBytes, asked.maxBytes);
        differs(differs, config, WHEN_FULL.name(), whenFull(blockWhenFull), whenFull(asked.blockWhenFull));
        differs(differs, config, BLOCK_TIMEOUT.name(), blockTimeout, asked.blockTimeout);
        differs(differs, config, MAX_PAYLOAD.name(), maxPayloadBytes, asked.maxPayloadBytes);
        if (differs.length() > 0) {
            throw new ConfigurationException("the in-memory broker '" + broker + "' exists already, with settings its first client fixed: "
                    + differs + ". Leave the option out to use the broker's, name another broker (mem:NAME), or drop this one"
                    + " first (InMemoryBroker.drop(\"" + broker + "\"))");
        }
    }

    private static String whenFull(boolean block) {
        return (block ? WhenFull.BLOCK : WhenFull.FAIL).name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void differs(StringBuilder out, MessagingConfig config, String option, Object broker, Object asked) {
        if (config.get(option).isEmpty() || broker.equals(asked)) {
            return;
        }
        out.append(out.length() == 0 ? "" : "; ").append(option).append(" is ").append(broker).append(" there, and ")
                .append(config.origin(option).orElse("the configuration")).append(" asks ").append(asked);
    }
}
