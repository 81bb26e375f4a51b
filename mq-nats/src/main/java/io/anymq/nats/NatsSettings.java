package io.anymq.nats;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Redaction;

import java.time.Duration;

/**
 * The options of a NATS URL (every one also settable as a config option):
 * <ul>
 *   <li>{@code jetstream} (false): JetStream mode;</li>
 *   <li>{@code stream.max-messages}, {@code stream.max-bytes}, {@code stream.max-age} (unlimited):
 *       the limits of each topic's stream; at a limit the oldest messages are dropped;</li>
 *   <li>{@code stream.replicas} (1), {@code stream.storage} ({@code file} or {@code memory});</li>
 *   <li>{@code ack-wait} (30s): the JetStream AckWait of a group whose consumer sets no ack timeout;</li>
 *   <li>{@code connect-timeout} (2s), {@code publish-timeout} (10s);</li>
 *   <li>{@code tls} (false, implied by {@code tls://}), {@code tls.truststore}, {@code tls.truststore-password};</li>
 *   <li>{@code token}: token authentication (user and password go in the URL);</li>
 *   <li>{@code nats.*}: passed to jnats {@code Options} as {@code io.nats.client.*} properties.</li>
 * </ul>
 */
record NatsSettings(boolean jetStream, long streamMaxMessages, long streamMaxBytes, Duration streamMaxAge, int streamReplicas,
                    boolean memoryStorage, Duration defaultAckWait, Duration connectTimeout, Duration publishTimeout, boolean tls,
                    String trustStore, String trustStorePassword) {
    /** nats-server's default max_payload. */
    static final long DEFAULT_SERVER_MAX_PAYLOAD = 1024 * 1024;
    /** Room kept below the server's max_payload for headers (the server counts headers and payload together). */
    static final long HEADER_ROOM = 64 * 1024;

    static NatsSettings from(MessagingConfig config) {
        String storage = config.get("stream.storage", "file");
        if (!storage.equals("file") && !storage.equals("memory")) {
            throw new ConfigurationException("option 'stream.storage' must be file or memory: " + storage);
        }
        int replicas = config.getInt("stream.replicas", 1);
        if (replicas < 1 || replicas > 5) {
            throw new ConfigurationException("option 'stream.replicas' must be 1 to 5: " + replicas);
        }
        return new NatsSettings(
                config.getBoolean("jetstream", false),
                config.getLong("stream.max-messages", -1),
                config.getLong("stream.max-bytes", -1),
                config.getDuration("stream.max-age", Duration.ZERO),
                replicas,
                storage.equals("memory"),
                config.getDuration("ack-wait", Duration.ofSeconds(30)),
                config.getDuration("connect-timeout", Duration.ofSeconds(2)),
                config.getDuration("publish-timeout", Duration.ofSeconds(10)),
                config.scheme().equals("tls") || config.getBoolean("tls", false),
                config.get("tls.truststore").orElse(null),
                config.get("tls.truststore-password").orElse(null));
    }

    @Override
    public String toString() {
        return "NatsSettings{jetStream=" + jetStream + ", tls=" + tls + ", trustStore=" + trustStore + ", trustStorePassword="
                + (trustStorePassword == null ? null : Redaction.MASK) + ", defaultAckWait=" + defaultAckWait + "}";
    }
}
