package io.anymq.jms;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Redaction;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
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

    static final ConfigOption<String> USER = ConfigOption.stringOption("user", null, "from the URL", "the user name");
    static final ConfigOption<String> PASSWORD = ConfigOption.stringOption("password", null, "from the URL", "the password");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "with +ssl: a PKCS12 (or .jks) trust store");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload a send accepts");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(5),
            "the first TCP connect");
    static final ConfigOption<Duration> SEND_TIMEOUT = ConfigOption.durationOption("send-timeout", Duration.ofSeconds(30),
            "how long a send, an ack or a resend may wait for the broker");
    static final ConfigOption<Scheduler> SCHEDULER = ConfigOption.enumOption("scheduler", Scheduler.class, Scheduler.AUTO,
            "whether the broker holds delayed messages");
    /** The native namespaces: each applies to its own scheme only (checked at connect). */
    static final List<String> NATIVE_PREFIXES = List.of("activemq.", "artemis.", "hornetq.");
    /** Every option mq-jms reads, and the dialects' native namespaces. */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(USER, PASSWORD, TRUSTSTORE, TRUSTSTORE_PASSWORD, MAX_PAYLOAD,
            CONNECT_TIMEOUT, SEND_TIMEOUT, SCHEDULER), NATIVE_PREFIXES);

    /** A native option of another dialect would be ignored: it is refused. */
    static void checkNativePrefix(MessagingConfig config, String ownPrefix) {
        for (String prefix : NATIVE_PREFIXES) {
            if (!prefix.equals(ownPrefix) && !config.withPrefix(prefix).isEmpty()) {
                String first = config.withPrefix(prefix).keySet().iterator().next();
                throw new ConfigurationException("option '" + prefix + first + "' applies to " + prefix.substring(0, prefix.length() - 1)
                        + ":// only; the native options of " + config.scheme() + ":// are " + ownPrefix + "*");
            }
        }
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
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > MAX_MAX_PAYLOAD) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + MAX_MAX_PAYLOAD + " bytes: " + max);
        }
        String user = java.util.Optional.ofNullable(USER.get(config)).orElse(url.user());
        String password = java.util.Optional.ofNullable(PASSWORD.get(config)).orElse(url.password());
        return new JmsSettings(hp.host(), hp.portOr(defaultPort), user, password, max,
                positive(config, CONNECT_TIMEOUT),
                positive(config, SEND_TIMEOUT),
                SCHEDULER.get(config), tls,
                trustStore(config, tls), TRUSTSTORE_PASSWORD.get(config));
    }

    private static String trustStore(MessagingConfig config, boolean tls) {
        String path = TRUSTSTORE.get(config);
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
        return "JmsSettings{" + host + ":" + port + ", user=" + user + ", password=" + (password == null ? null : Redaction.MASK)
                + ", maxPayload=" + maxPayload + ", connectTimeout=" + connectTimeout + ", sendTimeout=" + sendTimeout
                + ", scheduler=" + scheduler.name().toLowerCase(Locale.ROOT) + ", tls=" + tls
                + (trustStore == null ? "" : ", trustStore=" + trustStore)
                + (trustStorePassword == null ? "" : ", trustStorePassword=" + Redaction.MASK) + "}";
    }
}
