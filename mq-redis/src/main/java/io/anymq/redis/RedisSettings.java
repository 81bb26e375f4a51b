package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Names;

import java.time.Duration;
import java.util.Locale;

/**
 * Options of a Redis URL (also settable as config options):
 * {@code mode} ({@code stream}, {@code list} or {@code zset}), {@code stream.max-length} (approximate
 * trimming on every add; 0 = unlimited, the default 1,000,000), {@code ack-wait} (30s: when an unacked
 * entry is given to another member if the consumer sets no ack timeout), {@code max-payload} (16 MiB),
 * {@code connect-timeout} (2s), {@code command-timeout} (10s), {@code tls.verify} (true), and for the list and
 * zset modes {@code dead-letter-group} ({@code dead-letters}; empty for none: the group a consumer with a
 * dead-letter topic registers on that topic, so that dead letters are kept before anyone reads them).
 */
record RedisSettings(RedisMode mode, long streamMaxLength, Duration defaultAckWait, long maxPayload, Duration connectTimeout,
                     Duration commandTimeout, boolean tlsVerify, String deadLetterGroup, long queueMaxLength) {
    static final String DEFAULT_DEAD_LETTER_GROUP = "dead-letters";

    static final long DEFAULT_MAX_PAYLOAD = 16L * 1024 * 1024;

    static RedisSettings from(MessagingConfig config) {
        String name = config.get("mode", "stream");
        RedisMode mode = RedisMode.named(name.toLowerCase(Locale.ROOT));
        if (mode == null) {
            throw new ConfigurationException("option 'mode' is '" + name + "'; mq-redis offers mode=stream (the default), "
                    + "mode=list and mode=zset");
        }
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > 512L * 1024 * 1024) {
            throw new ConfigurationException("option 'max-payload' must be 1 to 536870912 bytes (Redis' proto-max-bulk-len): " + max);
        }
        Duration ackWait = config.getDuration("ack-wait", Duration.ofSeconds(30));
        if (ackWait.isNegative() || ackWait.isZero()) {
            throw new ConfigurationException("option 'ack-wait' must be positive: " + ackWait);
        }
        String deadLetterGroup = config.get("dead-letter-group", DEFAULT_DEAD_LETTER_GROUP).strip();
        if (!deadLetterGroup.isEmpty() && !Names.isValid(deadLetterGroup)) {
            throw new ConfigurationException("option 'dead-letter-group' is not a portable group name: '" + deadLetterGroup + "'");
        }
        long queueMax = config.getLong("queue.max-length", 1_000_000);
        if (queueMax < 0) {
            throw new ConfigurationException("option 'queue.max-length' must be 0 (no limit) or more: " + queueMax);
        }
        return new RedisSettings(mode, config.getLong("stream.max-length", 1_000_000), ackWait,
                max, config.getDuration("connect-timeout", Duration.ofSeconds(2)), config.getDuration("command-timeout", Duration.ofSeconds(10)),
                config.getBoolean("tls.verify", true), deadLetterGroup.isEmpty() ? null : deadLetterGroup, queueMax);
    }
}
