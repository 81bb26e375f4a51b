package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Options of a Kafka URL (also settable as config options): {@code mode} ({@code ordered}, the
 * default, or {@code shared}), {@code partitions} (6) and {@code replication} (the broker's default)
 * of topics created on first use, {@code auto-create} (true), {@code max-payload} (1,000,000 bytes),
 * {@code connect-timeout} (10s), {@code tls} (false), {@code tls.truststore},
 * {@code tls.truststore-password}, {@code sasl.mechanism} (PLAIN; or SCRAM-SHA-256/512), {@code commit-interval}
 * (100ms, mode=ordered), and every
 * {@code kafka.*} option, which passes through to the native producer, consumer and admin configs.
 */
record KafkaSettings(Mode mode, int partitions, Optional<Short> replication, boolean autoCreate, long maxPayload,
                     Duration connectTimeout, boolean tls, String saslMechanism, Duration commitInterval,
                     Map<String, String> nativeConfig) {
    static final long DEFAULT_MAX_PAYLOAD = 1_000_000;

    /** The two consumption modes. */
    enum Mode {
        /** Classic consumer groups: per-partition order, offsets, replay. */
        ORDERED,
        /** Share groups (KIP-932): per-record acknowledgement, competing consumers beyond the partition count. */
        SHARED
    }

    static final ConfigOption<Mode> MODE = ConfigOption.enumOption("mode", Mode.class, Mode.ORDERED,
            "ordered (consumer groups) or shared (share groups)");
    static final ConfigOption<Integer> PARTITIONS = ConfigOption.intOption("partitions", 6,
            "partitions of a topic created on first use");
    static final ConfigOption<String> REPLICATION = ConfigOption.stringOption("replication", null, "broker default",
            "replication factor of a topic created on first use");
    static final ConfigOption<Boolean> AUTO_CREATE = ConfigOption.booleanOption("auto-create", true,
            "create missing topics through the Admin client; with false a missing topic is a TopicNotFoundException");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload accepted");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(10),
            "an unreachable cluster is a ConnectionException after it");
    static final ConfigOption<Boolean> TLS = ConfigOption.booleanOption("tls", false,
            "TLS (security.protocol=SSL, or SASL_SSL with credentials)");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "trust store (PKCS12, or JKS by its .jks name)");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<String> SASL_MECHANISM = ConfigOption.stringOption("sasl.mechanism", "PLAIN", "PLAIN",
            "with credentials in the URL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
    static final ConfigOption<Duration> COMMIT_INTERVAL = ConfigOption.durationOption("commit-interval", Duration.ofMillis(100),
            "mode=ordered: the least time between two commits of acked offsets while the consumer polls");
    /** The prefix of native settings, passed through to the producer, consumer and admin configs. */
    static final String NATIVE_PREFIX = "kafka.";
    /** Every option mq-kafka reads, and the one open namespace, {@code kafka.*}. */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(MODE, PARTITIONS, REPLICATION, AUTO_CREATE, MAX_PAYLOAD,
            CONNECT_TIMEOUT, TLS, TRUSTSTORE, TRUSTSTORE_PASSWORD, SASL_MECHANISM, COMMIT_INTERVAL), List.of(NATIVE_PREFIX));

    static KafkaSettings from(MessagingConfig config) {
        Mode mode = MODE.get(config);
        int partitions = PARTITIONS.get(config);
        if (partitions < 1) {
            throw new ConfigurationException("option 'partitions' must be at least 1: " + partitions);
        }
        Optional<Short> replication = Optional.ofNullable(REPLICATION.get(config)).map(r -> {
            try {
                short s = Short.parseShort(r.trim());
                if (s < 1) {
                    throw new NumberFormatException();
                }
                return s;
            } catch (NumberFormatException e) {
                throw new ConfigurationException("option 'replication' must be a replication factor from 1 to 32767: " + r);
            }
        });
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > Integer.MAX_VALUE - 65536L) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + (Integer.MAX_VALUE - 65536L) + " bytes: " + max);
        }
        String mechanism = SASL_MECHANISM.get(config).toUpperCase(Locale.ROOT);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("SCRAM-SHA-256") && !mechanism.equals("SCRAM-SHA-512")) {
            throw new ConfigurationException("option 'sasl.mechanism' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512: " + mechanism);
        }
        Duration commitInterval = COMMIT_INTERVAL.get(config);
        if (commitInterval.isNegative()) {
            throw new ConfigurationException("option 'commit-interval' must not be negative: " + commitInterval);
        }
        return new KafkaSettings(mode, partitions, replication, AUTO_CREATE.get(config), max, CONNECT_TIMEOUT.get(config),
                TLS.get(config), mechanism, commitInterval, config.withPrefix(NATIVE_PREFIX));
    }
}
