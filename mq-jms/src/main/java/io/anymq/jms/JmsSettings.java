package io.anymq.jms;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Redaction;

import java.time.Duration;
import java.util.Locale;

/**
 * The options every JMS dialect understands (see the module README for the table).
 *
 * @param host           the broker's host
 * @param port           its port
 * @param user           the user, or null
 * @param password       the password, or null (never printed)
 * @param maxPayload     the largest payload a send accepts
 * @param connectTimeout how long the first TCP connect may take
 * @param sendTimeout    how long a send (or a settlement) may wait for the broker, also while it reconnects
 * @param scheduler      whether the broker holds delayed messages: {@code auto} (probe at connect), {@code on}, {@code off}
 * @param tls            whether to speak TLS ({@code activemq+ssl://}, {@code artemis+ssl://}, {@code hornetq+ssl://})
 * @param trustStore     a PKCS12 (or {@code .jks}) trust store for the broker's certificate, or null for the JVM's default
 * @param trustStorePassword its password, or null (never printed)
 */
record JmsSettings(String host, int port, String user, String password, long maxPayload, Duration connectTimeout, Duration sendTimeout,
                   Scheduler scheduler, boolean tls, String trustStore, String trustStorePassword) {
    static final long DEFAULT_MAX_PAYLOAD = 16L * 1024 * 1024;
    static final long MAX_MAX_PAYLOAD = 100L * 1024 * 1024;

    /** Whether the broker keeps delayed messages. */
    enum Scheduler { AUTO, ON, OFF }

    /** The key store type of a trust store file: JKS when its name ends in {@code .jks}, else PKCS12. */
    String trustStoreType() {
        return trustStore != null && trustStore.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    }

    static JmsSettings from(MessagingConfig config, int defaultPort, boolean tls) {
        var url = config.url();
        if (!url.isHierarchical() || url.hosts().isEmpty()) {
            throw new ConfigurationException("a " + config.scheme() + ":// URL needs a host: " + config.scheme() + "://host:" + defaultPort);
        }
        if (url.hosts().size() > 1) {
            throw new ConfigurationException("a " + config.scheme() + ":// URL names one broker; got " + url.hosts().size()
                    + " (use the native failover settings for more)");
        }
        var hp = url.firstHost("127.0.0.1", defaultPort);
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > MAX_MAX_PAYLOAD) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + MAX_MAX_PAYLOAD + " bytes: " + max);
        }
        String user = config.get("user").orElse(url.user());
        String password = config.get("password").orElse(url.password());
        return new JmsSettings(hp.host(), hp.portOr(defaultPort), user, password, max,
                positive(config, "connect-timeout", Duration.ofSeconds(5)),
                positive(config, "send-timeout", Duration.ofSeconds(30)),
                config.getEnum("scheduler", Scheduler.class, Scheduler.AUTO), tls,
                trustStore(config, tls), config.get("tls.truststore-password").orElse(null));
    }

    private static String trustStore(MessagingConfig config, boolean tls) {
        String path = config.get("tls.truststore").orElse(null);
        if (path == null) {
            return null;
        }
        if (!tls) {
            throw new ConfigurationException("option 'tls.truststore' needs TLS: use " + config.scheme() + "+ssl://");
        }
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
            throw new ConfigurationException("option 'tls.truststore': cannot read " + path);
        }
        return path;
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
        return "JmsSettings{" + host + ":" + port + ", user=" + user + ", password=" + (password == null ? null : Redaction.MASK)
                + ", maxPayload=" + maxPayload + ", connectTimeout=" + connectTimeout + ", sendTimeout=" + sendTimeout
                + ", scheduler=" + scheduler.name().toLowerCase(Locale.ROOT) + ", tls=" + tls
                + (trustStore == null ? "" : ", trustStore=" + trustStore)
                + (trustStorePassword == null ? "" : ", trustStorePassword=" + Redaction.MASK) + "}";
    }
}
