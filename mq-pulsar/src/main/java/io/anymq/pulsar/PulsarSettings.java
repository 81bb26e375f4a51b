package io.anymq.pulsar;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Options of a Pulsar URL (also settable as config options): {@code mode} ({@code shared}, the
 * default, {@code key_shared} or {@code failover}), {@code tenant} ({@code public}) and
 * {@code namespace} ({@code default}) of every topic, {@code partitions} (0: non-partitioned topics
 * that the broker creates on first use; from 1: partitioned topics created through the admin API at
 * {@code admin-url}), {@code admin-url} (http://host:8080, or https://host:8443 for pulsar+ssl),
 * {@code max-payload} (5,177,344 bytes: the broker's default 5 MiB less 64 KiB for metadata),
 * {@code connect-timeout} (10s), {@code operation-timeout} (30s), {@code send-timeout} (30s),
 * {@code token} (token authentication; or a user and password in the URL for basic authentication), {@code tls.truststore} and {@code tls.truststore-password},
 * {@code transactions} (false: the broker's transaction coordinator must be on for true),
 * and the native pass-through {@code pulsar.client.*}, {@code pulsar.producer.*} and
 * {@code pulsar.consumer.*} (see {@link NativeOptions}).
 */
record PulsarSettings(Mode mode, String serviceUrl, String adminUrl, boolean tls, String tenant, String namespace, int partitions,
                      long maxPayload, Duration connectTimeout, Duration operationTimeout, Duration sendTimeout,
                      Optional<String> token, Optional<Credentials> basic, Optional<String> trustStore,
                      Optional<String> trustStorePassword, NativeOptions nativeOptions, boolean transactions) {
    /** The broker's default maxMessageSize (5 MiB) less 64 KiB for the metadata that travels with a payload. */
    static final long DEFAULT_MAX_PAYLOAD = 5 * 1024 * 1024 - 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** The three subscription types the module offers, one per mode. */
    enum Mode {
        /** Competing consumers, no order, broker-side redelivery counts and delays. */
        SHARED("shared"),
        /** Competing consumers with every key at one member at a time: per-key order. */
        KEY_SHARED("key_shared"),
        /** One active member per partition: order; delays are not honoured by the broker. */
        FAILOVER("failover");

        final String option;

        Mode(String option) {
            this.option = option;
        }

        /** Whether the broker honours deliverAt/deliverAfter on subscriptions of this type. */
        boolean honoursDelays() {
            return this != FAILOVER;
        }
    }

    /** A user name and password from the URL, for Pulsar's basic authentication. */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials{user=" + user + ", password=****}";
        }
    }

    static final ConfigOption<String> MODE = ConfigOption.stringOption("mode", "shared", "shared",
            "shared, key_shared or failover: the subscription type of every group");
    static final ConfigOption<String> TENANT = ConfigOption.stringOption("tenant", "public", "public", "the tenant of every topic");
    static final ConfigOption<String> NAMESPACE = ConfigOption.stringOption("namespace", "default", "default",
            "the namespace of every topic");
    static final ConfigOption<Integer> PARTITIONS = ConfigOption.intOption("partitions", 0,
            "0: non-partitioned topics; N >= 1: topics created with N partitions");
    static final ConfigOption<String> ADMIN_URL = ConfigOption.stringOption("admin-url", null, "http://<first host>:8080",
            "the admin REST API, only used with partitions >= 1");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload accepted");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(10),
            "the client's connection timeout");
    static final ConfigOption<Duration> OPERATION_TIMEOUT = ConfigOption.durationOption("operation-timeout", Duration.ofSeconds(30),
            "the client's operation and lookup timeouts");
    static final ConfigOption<Duration> SEND_TIMEOUT = ConfigOption.durationOption("send-timeout", Duration.ofSeconds(30),
            "a send not confirmed by then fails");
    static final ConfigOption<String> TOKEN = ConfigOption.stringOption("token", null, "none", "token authentication");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "for pulsar+ssl: a PEM file of trusted CAs, or a JKS/PKCS#12 trust store");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<Boolean> TRANSACTIONS = ConfigOption.booleanOption("transactions", false,
            "offer transactions (TRANSACTIONS, TRANSACTIONAL_ACK): needs transactionCoordinatorEnabled=true on the broker");
    /** Every option mq-pulsar reads, and its open namespaces: the three sections of native options. */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(MODE, TENANT, NAMESPACE, PARTITIONS, ADMIN_URL, MAX_PAYLOAD,
            CONNECT_TIMEOUT, OPERATION_TIMEOUT, SEND_TIMEOUT, TOKEN, TRUSTSTORE, TRUSTSTORE_PASSWORD, TRANSACTIONS),
            List.of("pulsar.client.", "pulsar.producer.", "pulsar.consumer."));

    static PulsarSettings from(MessagingConfig config) {
        String modeName = MODE.get(config).toLowerCase(Locale.ROOT).replace('-', '_');
        Mode mode = switch (modeName) {
            case "shared" -> Mode.SHARED;
            case "key_shared", "keyshared" -> Mode.KEY_SHARED;
            case "failover" -> Mode.FAILOVER;
            default -> throw new ConfigurationException("option 'mode' is '" + modeName + "'; mq-pulsar offers mode=shared (the default), "
                    + "mode=key_shared and mode=failover (the subscription types)");
        };
        boolean tls = config.scheme().equals("pulsar+ssl");
        MqUrl url = config.url();
        StringBuilder hosts = new StringBuilder();
        int defaultPort = tls ? 6651 : 6650;
        for (MqUrl.HostPort hp : url.requireHosts(defaultPort)) {
            hosts.append(hosts.length() > 0 ? "," : "").append(hp.host()).append(':').append(hp.port());
        }
        String serviceUrl = (tls ? "pulsar+ssl://" : "pulsar://") + hosts;
        MqUrl.HostPort first = url.firstHost("127.0.0.1", defaultPort);
        String adminUrl = Optional.ofNullable(ADMIN_URL.get(config))
                .orElse((tls ? "https://" : "http://") + first.host() + ":" + (tls ? 8443 : 8080));
        if (!adminUrl.startsWith("http://") && !adminUrl.startsWith("https://")) {
            throw new ConfigurationException("option 'admin-url' must be an http:// or https:// URL: " + adminUrl);
        }
        String tenant = checkName("tenant", TENANT.get(config));
        String namespace = checkName("namespace", NAMESPACE.get(config));
        int partitions = PARTITIONS.get(config);
        if (partitions < 0 || partitions > 1000) {
            throw new ConfigurationException("option 'partitions' must be 0 (non-partitioned topics) to 1000: " + partitions);
        }
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > Integer.MAX_VALUE - 65536L) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + (Integer.MAX_VALUE - 65536L) + " bytes: " + max);
        }
        Duration connect = positive(config, CONNECT_TIMEOUT);
        Duration operation = positive(config, OPERATION_TIMEOUT);
        Duration send = positive(config, SEND_TIMEOUT);
        Optional<Credentials> basic = Optional.ofNullable(url.password())
                .map(pw -> new Credentials(url.user() == null ? "" : url.user(), pw));
        Optional<String> token = Optional.ofNullable(TOKEN.get(config));
        if (basic.isPresent() && token.isPresent()) {
            throw new ConfigurationException("give either a user and password in the URL (basic authentication) or the option 'token', not both");
        }
        return new PulsarSettings(mode, serviceUrl, adminUrl.replaceAll("/+$", ""), tls, tenant, namespace, partitions, max,
                connect, operation, send, token, basic, Optional.ofNullable(TRUSTSTORE.get(config)),
                Optional.ofNullable(TRUSTSTORE_PASSWORD.get(config)),
                NativeOptions.from(config), TRANSACTIONS.get(config));
    }

    /** The full Pulsar name of a portable topic name: {@code persistent://tenant/namespace/topic}. */
    String topicName(String topic) {
        return "persistent://" + tenant + "/" + namespace + "/" + topic;
    }

    private static String checkName(String option, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new ConfigurationException("option '" + option + "' is '" + value + "'; a Pulsar " + option
                    + " name is 1-100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return value;
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
        return "PulsarSettings{mode=" + mode.option + ", serviceUrl=" + serviceUrl + ", adminUrl=" + adminUrl + ", tenant=" + tenant
                + ", namespace=" + namespace + ", partitions=" + partitions + ", token=" + (token.isPresent() ? "****" : "none") + ", basic=" + basic.map(Credentials::toString).orElse("none") + "}";
    }
}
