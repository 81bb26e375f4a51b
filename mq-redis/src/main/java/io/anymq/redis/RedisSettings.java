package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Names;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Options of a Redis URL (also settable as config options):
 * {@code mode} ({@code stream}, {@code list} or {@code zset}), {@code stream.max-length} (approximate
 * trimming on every add; 0 = unlimited, the default 1,000,000), {@code ack-wait} (30s: when an unacked
 * entry is given to another member if the consumer sets no ack timeout), {@code max-payload} (16 MiB),
 * {@code connect-timeout} (2s), {@code command-timeout} (10s), {@code tls.verify} (true), and for the list and
 * zset modes {@code dead-letter-group} ({@code dead-letters}; empty for none: the group a consumer with a
 * dead-letter topic registers on that topic, so that dead letters are kept before anyone reads them),
 * {@code wait-replicas} (0: a send is confirmed once the master ran it; N: only once {@code WAIT} says N replicas have it)
 * and {@code wait-timeout} (1s).
 */
record RedisSettings(RedisMode mode, long streamMaxLength, Duration defaultAckWait, long maxPayload, Duration connectTimeout,
                     Duration commandTimeout, boolean tlsVerify, String deadLetterGroup, long queueMaxLength,
                     int waitReplicas, Duration waitTimeout) {
    static final String DEFAULT_DEAD_LETTER_GROUP = "dead-letters";

    static final long DEFAULT_MAX_PAYLOAD = 16L * 1024 * 1024;

    static final ConfigOption<String> MODE = ConfigOption.stringOption("mode", "stream", "stream", "stream, list or zset");
    static final ConfigOption<Long> STREAM_MAX_LENGTH = ConfigOption.longOption("stream.max-length", 1_000_000,
            "every XADD trims the stream to about this many entries; 0 = no trimming");
    static final ConfigOption<Long> QUEUE_MAX_LENGTH = ConfigOption.longOption("queue.max-length", 1_000_000,
            "list and zset: the most messages one group may hold waiting; 0 = no limit");
    static final ConfigOption<Duration> ACK_WAIT = ConfigOption.durationOption("ack-wait", Duration.ofSeconds(30),
            "how long an entry may stay unacked before another member takes it, without a consumer ackTimeout");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload accepted (at most 512 MiB)");
    static final ConfigOption<String> DEAD_LETTER_GROUP = ConfigOption.stringOption("dead-letter-group", DEFAULT_DEAD_LETTER_GROUP,
            DEFAULT_DEAD_LETTER_GROUP, "list and zset: the group a dead-letter topic's consumer registers; empty for none");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(2),
            "an unreachable server is a ConnectionException after it");
    static final ConfigOption<Duration> COMMAND_TIMEOUT = ConfigOption.durationOption("command-timeout", Duration.ofSeconds(10),
            "lettuce's command timeout");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "trust store (PKCS12) for rediss://");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<Boolean> TLS_VERIFY = ConfigOption.booleanOption("tls.verify", true,
            "verify the server's certificate and host name");
    static final ConfigOption<Integer> WAIT_REPLICAS = ConfigOption.intOption("wait-replicas", 0,
            "a send is confirmed only once WAIT says this many replicas have it; 0 = once the master ran it");
    static final ConfigOption<Duration> WAIT_TIMEOUT = ConfigOption.durationOption("wait-timeout", Duration.ofSeconds(1),
            "with wait-replicas: how long WAIT waits for the replicas; fewer by then is a RedisReplicationException (in doubt)");
    /** The prefix of lettuce's client options. */
    static final String NATIVE_PREFIX = "redis.";
    /** Every option mq-redis reads, and the one open namespace, {@code redis.*} (whose names lettuce's options check). */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(MODE, STREAM_MAX_LENGTH, QUEUE_MAX_LENGTH, ACK_WAIT, MAX_PAYLOAD,
            DEAD_LETTER_GROUP, CONNECT_TIMEOUT, COMMAND_TIMEOUT, TRUSTSTORE, TRUSTSTORE_PASSWORD, TLS_VERIFY, WAIT_REPLICAS, WAIT_TIMEOUT), List.of(NATIVE_PREFIX));

    static RedisSettings from(MessagingConfig config) {
        String name = MODE.get(config);
        RedisMode mode = RedisMode.named(name.toLowerCase(Locale.ROOT));
        if (mode == null) {
            throw new ConfigurationException("option 'mode' is '" + name + "'; mq-redis offers mode=stream (the default), "
                    + "mode=list and mode=zset");
        }
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > 512L * 1024 * 1024) {
            throw new ConfigurationException("option 'max-payload' must be 1 to 536870912 bytes (Redis' proto-max-bulk-len): " + max);
        }
        Duration ackWait = ACK_WAIT.get(config);
        if (ackWait.isNegative() || ackWait.isZero()) {
            throw new ConfigurationException("option 'ack-wait' must be positive: " + ackWait);
        }
        String deadLetterGroup = DEAD_LETTER_GROUP.get(config).strip();
        if (!deadLetterGroup.isEmpty() && !Names.isValid(deadLetterGroup)) {
            throw new ConfigurationException("option 'dead-letter-group' is not a portable group name: '" + deadLetterGroup + "'");
        }
        long queueMax = QUEUE_MAX_LENGTH.get(config);
        if (queueMax < 0) {
            throw new ConfigurationException("option 'queue.max-length' must be 0 (no limit) or more: " + queueMax);
        }
        int waitReplicas = WAIT_REPLICAS.get(config);
        if (waitReplicas < 0) {
            throw new ConfigurationException("option 'wait-replicas' must be 0 (no WAIT) or more: " + waitReplicas);
        }
        Duration commandTimeout = COMMAND_TIMEOUT.get(config);
        Duration waitTimeout = WAIT_TIMEOUT.get(config);
        if (waitTimeout.toMillis() < 1 || waitTimeout.compareTo(commandTimeout) >= 0) {
            throw new ConfigurationException("option 'wait-timeout' must be at least 1ms and shorter than 'command-timeout' ("
                    + commandTimeout + "), or lettuce gives up on the WAIT first: " + waitTimeout);
        }
        return new RedisSettings(mode, STREAM_MAX_LENGTH.get(config), ackWait,
                max, CONNECT_TIMEOUT.get(config), commandTimeout,
                TLS_VERIFY.get(config), deadLetterGroup.isEmpty() ? null : deadLetterGroup, queueMax, waitReplicas, waitTimeout);
    }
}
