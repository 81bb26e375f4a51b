package io.anymq.rocketmq;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Options of a {@code rocketmq://host:port} URL (the proxy's gRPC endpoint): {@code mode} ({@code default},
 * or {@code fifo}: a keyed message's message group is its key and groups are FIFO consumer groups), {@code namespace},
 * {@code access-key}/{@code secret-key} (or the URL's user and password), {@code tls} (false),
 * {@code namesrv} (the name server for the admin path, default {@code <host>:9876}), {@code auto-create}
 * (true: the module creates topics and groups through the admin path), {@code topic-type} ({@code mixed},
 * the default: topics of message type MIXED take normal and delayed messages, and the broker must run with
 * {@code enableMixedMessageType=true}; or {@code normal}: NORMAL topics, no delayed delivery), {@code queues} (8 per new
 * topic), {@code max-payload} (4 MiB, the proxy's default limit), {@code connect-timeout} (10 s),
 * {@code min-ack-timeout} (10 s, the proxy's {@code minInvisibleTimeMillsForRecv}), {@code max-ack-timeout} (12 h, the
 * proxy's {@code maxInvisibleTimeMills}: the longest ack timeout and nack delay), {@code ack-timeout}
 * (30 s, used when a consumer asks for none), {@code send-timeout} (60 s: how long a send that finds the
 * proxy unreachable is tried again), and {@code rocketmq.*} native settings (see {@link #NATIVE}).
 */
record RocketMqSettings(boolean fifo, String endpoint, String namespace, String accessKey, String secretKey, boolean tls, String namesrv,
                        boolean autoCreate, boolean mixedTopics, int queues, long maxPayload, Duration connectTimeout, Duration minAckTimeout,
                        Duration maxAckTimeout, Duration defaultAckTimeout, Duration requestTimeout, int maxAttempts, Duration awaitDuration, Duration sendTimeout) {
    static final long DEFAULT_MAX_PAYLOAD = 4L * 1024 * 1024;
    static final int DEFAULT_PORT = 8081;

    /** The native settings that pass through under {@code rocketmq.}, with what they set. */
    static final Map<String, String> NATIVE = new TreeMap<>(Map.of(
            "requestTimeout", "ClientConfiguration request timeout (a duration, default 3s)",
            "maxAttempts", "producer send attempts (default 3)",
            "awaitDuration", "SimpleConsumer long-polling wait (a duration, default 5s; the proxy waits at least 5s)"));

    static final ConfigOption<String> MODE = ConfigOption.stringOption("mode", "default", "default",
            "default, or fifo (per-key order: message group = key, FIFO consumer groups; see \"Key order (mode=fifo)\")");
    static final ConfigOption<String> NAMESRV = ConfigOption.stringOption("namesrv", null, "<host>:9876",
            "the name server, for the admin path");
    static final ConfigOption<Boolean> AUTO_CREATE = ConfigOption.booleanOption("auto-create", true,
            "create missing topics and groups through the admin path");
    static final ConfigOption<String> TOPIC_TYPE = ConfigOption.stringOption("topic-type", "mixed", "mixed",
            "mixed (normal and delayed messages) or normal");
    static final ConfigOption<Integer> QUEUES = ConfigOption.intOption("queues", 8, "read and write queues of a topic the module creates");
    static final ConfigOption<String> NAMESPACE = ConfigOption.stringOption("namespace", "", "none", "the client's namespace");
    static final ConfigOption<String> ACCESS_KEY = ConfigOption.stringOption("access-key", null, "the URL's user", "ACL access key");
    static final ConfigOption<String> SECRET_KEY = ConfigOption.stringOption("secret-key", null, "the URL's password", "ACL secret key");
    static final ConfigOption<Boolean> TLS = ConfigOption.booleanOption("tls", false, "TLS to the proxy (the proxy is not verified)");
    static final ConfigOption<Long> MAX_PAYLOAD = ConfigOption.longOption("max-payload", DEFAULT_MAX_PAYLOAD,
            "the largest payload accepted before anything is sent");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(10),
            "how long the first contact may take");
    static final ConfigOption<Duration> ACK_TIMEOUT = ConfigOption.durationOption("ack-timeout", Duration.ofSeconds(30),
            "the invisible duration of a consumer that asks for no ack timeout");
    static final ConfigOption<Duration> MIN_ACK_TIMEOUT = ConfigOption.durationOption("min-ack-timeout", Duration.ofSeconds(10),
            "the proxy's minInvisibleTimeMillsForRecv");
    static final ConfigOption<Duration> MAX_ACK_TIMEOUT = ConfigOption.durationOption("max-ack-timeout", Duration.ofHours(12),
            "the proxy's maxInvisibleTimeMills: the longest ack timeout and nack delay");
    static final ConfigOption<Duration> SEND_TIMEOUT = ConfigOption.durationOption("send-timeout", Duration.ofSeconds(60),
            "how long a send that finds the proxy unreachable is tried again");
    /**
     * Every option mq-rocketmq reads, and {@code rocketmq.*}, whose few names (camel case, as the
     * client names them: {@link #NATIVE}) the module checks itself.
     */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(MODE, NAMESRV, AUTO_CREATE, TOPIC_TYPE, QUEUES, NAMESPACE,
            ACCESS_KEY, SECRET_KEY, TLS, MAX_PAYLOAD, CONNECT_TIMEOUT, ACK_TIMEOUT, MIN_ACK_TIMEOUT, MAX_ACK_TIMEOUT, SEND_TIMEOUT), List.of("rocketmq."));

    static RocketMqSettings from(MessagingConfig config) {
        MqUrl url = config.url();
        if (url.hosts().size() > 1) {
            throw new ConfigurationException("a rocketmq:// URL names one proxy endpoint (host:port), not " + url.hosts().size());
        }
        MqUrl.HostPort hp = url.requireHosts(DEFAULT_PORT).get(0);
        String endpoint = hp.host() + ":" + hp.port();
        Map<String, String> nativeOptions = config.withPrefix("rocketmq.");
        Set<String> unknown = new TreeSet<>(nativeOptions.keySet());
        unknown.removeAll(NATIVE.keySet());
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("unknown RocketMQ option(s) " + unknown.stream().map(u -> "rocketmq." + u).toList()
                    + "; known: " + NATIVE.keySet().stream().map(k -> "rocketmq." + k).toList());
        }
        int queues = QUEUES.get(config);
        if (queues < 1 || queues > 1024) {
            throw new ConfigurationException("option 'queues' must be 1 to 1024: " + queues);
        }
        long max = MAX_PAYLOAD.get(config);
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw new ConfigurationException("option 'max-payload' must be 1 to " + Integer.MAX_VALUE + " bytes: " + max);
        }
        String accessKey = Optional.ofNullable(ACCESS_KEY.get(config)).orElse(url.user());
        String secretKey = Optional.ofNullable(SECRET_KEY.get(config)).orElse(url.password());
        if ((accessKey == null) != (secretKey == null)) {
            throw new ConfigurationException("RocketMQ ACL needs both an access key and a secret key (access-key and secret-key, or user:password in the URL)");
        }
        int maxAttempts = parseInt(nativeOptions, "maxAttempts", 3);
        if (maxAttempts < 1) {
            throw new ConfigurationException("option 'rocketmq.maxAttempts' must be at least 1: " + maxAttempts);
        }
        Duration await = duration(config, nativeOptions, "awaitDuration", Duration.ofSeconds(5));
        String type = TOPIC_TYPE.get(config).toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("mixed") && !type.equals("normal")) {
            throw new ConfigurationException("option 'topic-type' is '" + type + "'; mq-rocketmq creates topics as mixed (normal and delayed "
                    + "messages; the broker needs enableMixedMessageType=true) or normal (no delayed delivery)");
        }
        String mode = MODE.get(config).toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("default") && !mode.equals("fifo")) {
            throw new ConfigurationException("option 'mode' is '" + mode + "'; mq-rocketmq offers mode=default and mode=fifo "
                    + "(per-key order: message group = key, FIFO consumer groups)");
        }
        boolean autoCreate = AUTO_CREATE.get(config);
        if (mode.equals("fifo") && !autoCreate) {
            throw new ConfigurationException("mode=fifo needs the admin path (auto-create=true): the module makes each group a FIFO "
                    + "(orderly) consumer group");
        }
        return new RocketMqSettings(mode.equals("fifo"), endpoint, NAMESPACE.get(config), accessKey, secretKey, TLS.get(config),
                Optional.ofNullable(NAMESRV.get(config)).orElse(hp.host() + ":9876"), autoCreate, type.equals("mixed"), queues, max,
                CONNECT_TIMEOUT.get(config),
                MIN_ACK_TIMEOUT.get(config),
                maxAckTimeout(config),
                ACK_TIMEOUT.get(config),
                duration(config, nativeOptions, "requestTimeout", Duration.ofSeconds(3)), maxAttempts, await,
                SEND_TIMEOUT.get(config));
    }

    /** The max-ack-timeout option: it is also the longest nack delay the capabilities declare, so at most the core's bound. */
    private static Duration maxAckTimeout(MessagingConfig config) {
        Duration max = MAX_ACK_TIMEOUT.get(config);
        if (max.isZero() || max.compareTo(io.anymq.Delivery.MAX_NACK_DELAY) > 0) {
            throw new ConfigurationException("option 'max-ack-timeout' is " + max + "; it says the proxy's maxInvisibleTimeMills (12 hours by "
                    + "default), more than zero and at most " + io.anymq.Delivery.MAX_NACK_DELAY.toDays() + " days");
        }
        return max;
    }

    /** The name the broker knows a portable name by: namespaced as the gRPC client namespaces it. */
    String brokerName(String name) {
        return namespace.isEmpty() ? name : namespace + "%" + name;
    }

    Optional<String> credentials() {
        return Optional.ofNullable(accessKey);
    }

    private static int parseInt(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("option 'rocketmq." + key + "' must be a whole number: " + v);
        }
    }

    private static Duration duration(MessagingConfig config, Map<String, String> options, String key, Duration dflt) {
        return options.containsKey(key) ? config.getDuration("rocketmq." + key, dflt) : dflt;
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "RocketMqSettings{fifo=" + fifo + ", endpoint=" + endpoint + ", namespace=" + namespace + ", accessKey=" + (accessKey == null ? "none" : "set")
                + ", tls=" + tls + ", namesrv=" + namesrv + ", autoCreate=" + autoCreate + ", mixedTopics=" + mixedTopics + ", maxPayload=" + maxPayload + "}";
    }
}
