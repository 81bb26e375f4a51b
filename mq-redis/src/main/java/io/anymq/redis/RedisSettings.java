package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;

/**
 * Options of a Redis URL (also settable as config options):
 * {@code mode} ({@code stream}), {@code stream.max-length} (approximate trimming on every add; 0 =
 * unlimited, the default 1,000,000), {@code ack-wait} (30s: when an unacked entry is claimed for
 * another member if the consumer sets no ack timeout), {@code max-payload} (16 MiB),
 * {@code connect-timeout} (2s), {@code command-timeout} (10s), {@code tls.verify} (true).
 */
record RedisSettings(String mode, long streamMaxLength, Duration defaultAckWait, long maxPayload, Duration connectTimeout,
                     Duration commandTimeout, boolean tlsVerify) {
    static final long DEFAULT_MAX_PAYLOAD = 16L * 1024 * 1024;

    static RedisSettings from(MessagingConfig config) {
        String mode = config.get("mode", "stream");
        if (!mode.equals("stream")) {
            throw new ConfigurationException("option 'mode' is '" + mode + "'; this version of mq-redis offers mode=stream "
                    + "(the list and zset modes are not available yet)");
        }
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > 512L * 1024 * 1024) {
            throw new ConfigurationException("option 'max-payload' must be 1 to 536870912 bytes (Redis' proto-max-bulk-len): " + max);
        }
        return new RedisSettings(mode, config.getLong("stream.max-length", 1_000_000), config.getDuration("ack-wait", Duration.ofSeconds(30)),
                max, config.getDuration("connect-timeout", Duration.ofSeconds(2)), config.getDuration("command-timeout", Duration.ofSeconds(10)),
                config.getBoolean("tls.verify", true));
    }
}
