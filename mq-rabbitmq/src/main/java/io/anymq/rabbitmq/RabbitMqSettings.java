package io.anymq.rabbitmq;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;

/**
 * The options of a RabbitMQ URL (every one also settable as a config option or {@code MQ_*}
 * variable); see the module README for the full table.
 *
 * @param quorum           {@code queue-type=quorum} (the default) or {@code classic}
 * @param failUnroutable   {@code unroutable=fail} (the default): a send that reaches no group's
 *                         queue fails; {@code accept}: it completes (the message is dropped)
 * @param maxPayload       the largest payload accepted
 * @param connectTimeout   TCP connect timeout of the first connection
 * @param handshakeTimeout AMQP (and TLS) handshake timeout
 * @param rpcTimeout       how long a synchronous channel operation (a declare) may take
 * @param recoveryInterval how often a lost connection is tried again
 * @param tls              amqps:// (or {@code tls=true})
 * @param trustStore       PKCS12 or JKS trust store for TLS, or null for the JVM's default
 * @param trustStorePassword its password (never printed)
 * @param tlsVerify        verify the server's certificate and host name
 */
record RabbitMqSettings(boolean quorum, boolean failUnroutable, long maxPayload, Duration connectTimeout, Duration handshakeTimeout,
                        Duration rpcTimeout, Duration recoveryInterval, boolean tls, String trustStore, String trustStorePassword,
                        boolean tlsVerify) {
    static final long DEFAULT_MAX_PAYLOAD = 16L * 1024 * 1024;
    /** RabbitMQ's own ceiling for max_message_size. */
    static final long BROKER_MAX_PAYLOAD = 512L * 1024 * 1024;

    static RabbitMqSettings from(MessagingConfig config) {
        String type = config.get("queue-type", "quorum").trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("quorum") && !type.equals("classic")) {
            throw new ConfigurationException("option 'queue-type' must be quorum or classic: '" + type + "'"
                    + (type.equals("stream") ? " (the stream mode is not offered by this version)" : ""));
        }
        String unroutable = config.get("unroutable", "fail").trim().toLowerCase(java.util.Locale.ROOT);
        if (!unroutable.equals("fail") && !unroutable.equals("accept")) {
            throw new ConfigurationException("option 'unroutable' must be fail or accept: '" + unroutable + "'");
        }
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > BROKER_MAX_PAYLOAD) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + BROKER_MAX_PAYLOAD
                    + " bytes (RabbitMQ's ceiling for max_message_size): " + max);
        }
        boolean tls = config.scheme().equals("amqps") || config.getBoolean("tls", false);
        return new RabbitMqSettings(type.equals("quorum"), unroutable.equals("fail"), max,
                positive(config, "connect-timeout", Duration.ofSeconds(5)),
                positive(config, "handshake-timeout", Duration.ofSeconds(10)),
                positive(config, "rpc-timeout", Duration.ofSeconds(30)),
                positive(config, "recovery-interval", Duration.ofSeconds(1)),
                tls, config.get("tls.truststore").orElse(null), config.get("tls.truststore-password").orElse(null),
                config.getBoolean("tls.verify", true));
    }

    private static Duration positive(MessagingConfig config, String key, Duration def) {
        Duration d = config.getDuration(key, def);
        if (d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigurationException("option '" + key + "' must be a positive duration: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "RabbitMqSettings{queueType=" + (quorum ? "quorum" : "classic") + ", unroutable=" + (failUnroutable ? "fail" : "accept")
                + ", maxPayload=" + maxPayload + ", tls=" + tls + ", trustStore=" + trustStore + ", trustStorePassword="
                + (trustStorePassword == null ? null : io.anymq.Redaction.MASK) + ", tlsVerify=" + tlsVerify + "}";
    }
}
