package io.anymq.pulsar;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;

import java.time.Duration;
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
 * and the native pass-through {@code pulsar.client.*}, {@code pulsar.producer.*} and
 * {@code pulsar.consumer.*} (see {@link NativeOptions}).
 */
record PulsarSettings(Mode mode, String serviceUrl, String adminUrl, boolean tls, String tenant, String namespace, int partitions,
                      long maxPayload, Duration connectTimeout, Duration operationTimeout, Duration sendTimeout,
                      Optional<String> token, Optional<Credentials> basic, Optional<String> trustStore,
                      Optional<String> trustStorePassword, NativeOptions nativeOptions) {
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

    static PulsarSettings from(MessagingConfig config) {
        String modeName = config.get("mode", "shared").toLowerCase(Locale.ROOT).replace('-', '_');
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
        String adminUrl = config.get("admin-url", (tls ? "https://" : "http://") + first.host() + ":" + (tls ? 8443 : 8080));
        if (!adminUrl.startsWith("http://") && !adminUrl.startsWith("https://")) {
            throw new ConfigurationException("option 'admin-url' must be an http:// or https:// URL: " + adminUrl);
        }
        String tenant = checkName("tenant", config.get("tenant", "public"));
        String namespace = checkName("namespace", config.get("namespace", "default"));
        int partitions = config.getInt("partitions", 0);
        if (partitions < 0 || partitions > 1000) {
            throw new ConfigurationException("option 'partitions' must be 0 (non-partitioned topics) to 1000: " + partitions);
        }
        long max = config.getLong("max-payload", DEFAULT_MAX_PAYLOAD);
        if (max < 1 || max > Integer.MAX_VALUE - 65536L) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + (Integer.MAX_VALUE - 65536L) + " bytes: " + max);
        }
        Duration connect = positive(config, "connect-timeout", Duration.ofSeconds(10));
        Duration operation = positive(config, "operation-timeout", Duration.ofSeconds(30));
        Duration send = positive(config, "send-timeout", Duration.ofSeconds(30));
        Optional<Credentials> basic = Optional.ofNullable(url.password())
                .map(pw -> new Credentials(url.user() == null ? "" : url.user(), pw));
        Optional<String> token = config.get("token");
        if (basic.isPresent() && token.isPresent()) {
            throw new ConfigurationException("give either a user and password in the URL (basic authentication) or the option 'token', not both");
        }
        return new PulsarSettings(mode, serviceUrl, adminUrl.replaceAll("/+$", ""), tls, tenant, namespace, partitions, max,
                connect, operation, send, token, basic, config.get("tls.truststore"), config.get("tls.truststore-password"),
                NativeOptions.from(config));
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

    private static Duration positive(MessagingConfig config, String key, Duration def) {
        Duration d = config.getDuration(key, def);
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
