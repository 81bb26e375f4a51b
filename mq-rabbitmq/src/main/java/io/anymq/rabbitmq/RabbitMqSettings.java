package io.anymq.rabbitmq;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;

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

    static final ConfigOption<String> QUEUE_TYPE = ConfigOption.stringOption("queue-type", "quorum", "quorum",
            "quorum (replicated; delivery count and limit) or classic");
    static final ConfigOption<String> UNROUTABLE = ConfigOption.stringOption("unroutable", "fail", "fail",
            "fail: a send that reaches no group's queue fails; accept: it completes and the message is dropped");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload accepted (at most 512 MiB)");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(5),
            "TCP connect of the first connection");
    static final ConfigOption<Duration> HANDSHAKE_TIMEOUT = ConfigOption.durationOption("handshake-timeout", Duration.ofSeconds(10),
            "AMQP and TLS handshake");
    static final ConfigOption<Duration> RPC_TIMEOUT = ConfigOption.durationOption("rpc-timeout", Duration.ofSeconds(30),
            "the longest a synchronous operation may take");
    static final ConfigOption<Duration> RECOVERY_INTERVAL = ConfigOption.durationOption("recovery-interval", Duration.ofSeconds(1),
            "how often a lost connection is tried again");
    static final ConfigOption<Boolean> TLS = ConfigOption.booleanOption("tls", false, "TLS (implied by amqps://)");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "a PKCS12 (or .jks) trust store for the broker's certificate");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<Boolean> TLS_VERIFY = ConfigOption.booleanOption("tls.verify", true,
            "verify the certificate and the host name");
    /** Every option mq-rabbitmq reads, and the one open namespace, {@code rabbitmq.*} (whose names are checked on their own). */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(QUEUE_TYPE, UNROUTABLE, MAX_PAYLOAD, CONNECT_TIMEOUT,
            HANDSHAKE_TIMEOUT, RPC_TIMEOUT, RECOVERY_INTERVAL, TLS, TRUSTSTORE, TRUSTSTORE_PASSWORD, TLS_VERIFY),
            List.of(RabbitMqConnections.NATIVE_PREFIX));

    static RabbitMqSettings from(MessagingConfig config) {
        String type = QUEUE_TYPE.get(config).trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("quorum") && !type.equals("classic")) {
            throw new ConfigurationException("option 'queue-type' must be quorum or classic: '" + type + "'"
                    + (type.equals("stream") ? " (the stream mode is not offered by this version)" : ""));
        }
        String unroutable = UNROUTABLE.get(config).trim().toLowerCase(java.util.Locale.ROOT);
        if (!unroutable.equals("fail") && !unroutable.equals("accept")) {
            throw new ConfigurationException("option 'unroutable' must be fail or accept: '" + unroutable + "'");
        }
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > BROKER_MAX_PAYLOAD) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + BROKER_MAX_PAYLOAD
                    + " bytes (RabbitMQ's ceiling for max_message_size): " + max);
        }
        boolean tls = config.scheme().equals("amqps") || TLS.get(config);
        return new RabbitMqSettings(type.equals("quorum"), unroutable.equals("fail"), max,
                positive(config, CONNECT_TIMEOUT),
                positive(config, HANDSHAKE_TIMEOUT),
                positive(config, RPC_TIMEOUT),
                positive(config, RECOVERY_INTERVAL),
                tls, TRUSTSTORE.get(config), TRUSTSTORE_PASSWORD.get(config),
                TLS_VERIFY.get(config));
    }

    private static Duration positive(MessagingConfig config, ConfigOption<Duration> option) {
        String key = option.name();
        Duration d = option.get(config);
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
