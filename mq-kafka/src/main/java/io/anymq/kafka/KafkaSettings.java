package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Options of a Kafka URL (also settable as config options): {@code mode} ({@code ordered}, the
 * default, or {@code shared}), {@code partitions} (6) and {@code replication} (the broker's default)
 * of topics created on first use, {@code auto-create} (true), {@code max-payload} (1,000,000 bytes),
 * {@code connect-timeout} (10s), {@code tls} (false), {@code tls.truststore},
 * {@code tls.truststore-password}, {@code sasl.mechanism} (PLAIN; or SCRAM-SHA-256/512), and every
 * {@code kafka.*} option, which passes through to the native producer, consumer and admin configs.
 */
record KafkaSettings(Mode mode, int partitions, Optional<Short> replication, boolean autoCreate, long maxPayload,
                     Duration connectTimeout, boolean tls, String saslMechanism, Map<String, String> nativeConfig) {
    static final long DEFAULT_MAX_PAYLOAD = 1_000_000;

    /** The two consumption modes. */
    enum Mode {
        /** Classic consumer groups: per-partition order, offsets, replay. */
        ORDERED,
        /** Share groups (KIP-932): per-record acknowledgement, competing consumers beyond the partition count. */
        SHARED
    }

    static KafkaSettings from(MessagingConfig config) {
        String modeName = config.get("mode", "ordered").toLowerCase(Locale.ROOT);
        Mode mode = switch (modeName) {
            case "ordered" -> Mode.ORDERED;
            case "shared" -> Mode.SHARED;
            default -> throw new ConfigurationException("option 'mode' is '" + modeName + "'; mq-kafka offers mode=ordered "
                    + "(consumer groups) and mode=shared (share groups)");
        };
        int partitions = config.getInt("partitions", 6);
        if (partitions < 1) {
            throw new ConfigurationException("option 'partitions' must be at least 1: " + partitions);
        }
        Optional<Short> replication = config.get("replication").map(r -> {
            try {
                short s = Short.parseShort(r);
                if (s < 1) {
                    throw new NumberFormatException();
                }
                return s;
            } catch (NumberFormatException e) {
                throw new ConfigurationException("option 'replication' must be a replication factor from 1 to 32767: " + r);
            }
        });
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > Integer.MAX_VALUE - 65536L) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + (Integer.MAX_VALUE - 65536L) + " bytes: " + max);
        }
        String mechanism = config.get("sasl.mechanism", "PLAIN").toUpperCase(Locale.ROOT);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("SCRAM-SHA-256") && !mechanism.equals("SCRAM-SHA-512")) {
            throw new ConfigurationException("option 'sasl.mechanism' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512: " + mechanism);
        }
        return new KafkaSettings(mode, partitions, replication, config.getBoolean("auto-create", true), max,
                config.getDuration("connect-timeout", Duration.ofSeconds(10)), config.getBoolean("tls", false), mechanism,
                config.withPrefix("kafka."));
    }
}
