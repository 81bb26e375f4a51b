package io.anymq.nats;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Redaction;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * The options of a NATS URL (every one also settable as a config option):
 * <ul>
 *   <li>{@code jetstream} (false): JetStream mode;</li>
 *   <li>{@code stream.max-messages}, {@code stream.max-bytes}, {@code stream.max-age} (unlimited):
 *       the limits of each topic's stream; at a limit the oldest messages are dropped;</li>
 *   <li>{@code stream.replicas} (1), {@code stream.storage} ({@code file} or {@code memory});</li>
 *   <li>{@code ack-wait} (30s): the JetStream AckWait of a group whose consumer sets no ack timeout;</li>
 *   <li>{@code pull-max-bytes} (32 MiB): the bytes the pull requests of one client's JetStream members ask for together
 *       (see {@link PullBudget});</li>
 *   <li>{@code connect-timeout} (2s), {@code publish-timeout} (10s);</li>
 *   <li>{@code tls} (false, implied by {@code nats+tls://}), {@code tls.truststore}, {@code tls.truststore-password};</li>
 *   <li>{@code send-generated-ids} (true): core NATS only; false keeps the id (and send time) the SDK generates for a
 *       message with the sender, and the receiving client names and times the delivery on arrival;</li>
 *   <li>{@code token}: token authentication (user and password go in the URL);</li>
 *   <li>{@code nats.*}: passed to jnats {@code Options} as {@code io.nats.client.*} properties.</li>
 * </ul>
 */
record NatsSettings(boolean jetStream, long streamMaxMessages, long streamMaxBytes, Duration streamMaxAge, int streamReplicas,
                    boolean memoryStorage, Duration defaultAckWait, Duration connectTimeout, Duration publishTimeout, boolean tls,
                    String trustStore, String trustStorePassword, boolean sendGeneratedIds, long pullMaxBytes) {
    /** nats-server's default max_payload. */
    static final long DEFAULT_SERVER_MAX_PAYLOAD = 1024 * 1024;
    /** Room kept below the server's max_payload for headers (the server counts headers and payload together). */
    static final long HEADER_ROOM = 64 * 1024;

    static final ConfigOption<Boolean> JETSTREAM = ConfigOption.booleanOption("jetstream", false, "JetStream mode");
    static final ConfigOption<Long> STREAM_MAX_MESSAGES = ConfigOption.longOption("stream.max-messages", -1,
            "per topic stream: the most messages kept (-1: unlimited); at the limit the oldest are dropped");
    static final ConfigOption<Long> STREAM_MAX_BYTES = ConfigOption.longOption("stream.max-bytes", -1,
            "per topic stream: the most bytes kept (-1: unlimited)");
    static final ConfigOption<Duration> STREAM_MAX_AGE = ConfigOption.durationOption("stream.max-age", Duration.ZERO,
            "messages older than this are dropped (0: unlimited)");
    static final ConfigOption<String> STREAM_STORAGE = ConfigOption.stringOption("stream.storage", "file", "file",
            "file (survives a server restart) or memory");
    static final ConfigOption<Integer> STREAM_REPLICAS = ConfigOption.intOption("stream.replicas", 1, "stream replicas in a cluster");
    static final ConfigOption<Duration> ACK_WAIT = ConfigOption.durationOption("ack-wait", Duration.ofSeconds(30),
            "JetStream AckWait of a group whose consumer sets no ackTimeout");
    static final ConfigOption<Long> PULL_MAX_BYTES = ConfigOption.longOption("pull-max-bytes", 32L * 1024 * 1024,
            "JetStream: the bytes the pull requests of one client's members ask for together, split evenly among them (nats-server"
                    + " closes a connection that falls its max_pending, 64 MB by default, behind)");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(2),
            "first connection; an unreachable server is a ConnectionException after it");
    static final ConfigOption<Duration> PUBLISH_TIMEOUT = ConfigOption.durationOption("publish-timeout", Duration.ofSeconds(10),
            "how long a JetStream publish waits for the stream's acknowledgement");
    static final ConfigOption<Boolean> TLS = ConfigOption.booleanOption("tls", false, "TLS to the server (implied by nats+tls://)");
    static final ConfigOption<String> TRUSTSTORE = ConfigOption.stringOption("tls.truststore", null, "JVM default",
            "a PKCS12 (or .jks) trust store for the server's certificate");
    static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOption.stringOption("tls.truststore-password", null, "none",
            "the trust store's password");
    static final ConfigOption<Boolean> SEND_GENERATED_IDS = ConfigOption.booleanOption("send-generated-ids", true,
            "core NATS: false sends a message given no id without the id (and send time) the SDK generates; the receiving client"
                    + " names and times it on arrival, so its receipt and its deliveries do not share an id");
    static final ConfigOption<String> TOKEN = ConfigOption.stringOption("token", null, "none", "token authentication");
    /** The prefix of jnats options, passed as {@code io.nats.client.*} properties. */
    static final String NATIVE_PREFIX = "nats.";
    /** Every option mq-nats reads, and the one open namespace, {@code nats.*}. */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(JETSTREAM, STREAM_MAX_MESSAGES, STREAM_MAX_BYTES, STREAM_MAX_AGE,
            STREAM_STORAGE, STREAM_REPLICAS, ACK_WAIT, PULL_MAX_BYTES, CONNECT_TIMEOUT, PUBLISH_TIMEOUT, TLS, TRUSTSTORE, TRUSTSTORE_PASSWORD, SEND_GENERATED_IDS,
            TOKEN),
            List.of(NATIVE_PREFIX));

    static NatsSettings from(MessagingConfig config) {
        String storage = STREAM_STORAGE.get(config);
        if (!storage.equals("file") && !storage.equals("memory")) {
            throw new ConfigurationException("option 'stream.storage' must be file or memory: " + storage);
        }
        int replicas = STREAM_REPLICAS.get(config);
        if (replicas < 1 || replicas > 5) {
            throw new ConfigurationException("option 'stream.replicas' must be 1 to 5: " + replicas);
        }
        boolean jetStream = JETSTREAM.get(config);
        long pullMaxBytes = PULL_MAX_BYTES.get(config);
        if (pullMaxBytes < 1) {
            throw new ConfigurationException("option 'pull-max-bytes' must be at least 1: " + pullMaxBytes);
        }
        boolean sendGeneratedIds = SEND_GENERATED_IDS.get(config);
        if (jetStream && !sendGeneratedIds) {
            throw new ConfigurationException("option 'send-generated-ids=false' is for core NATS: JetStream sends no generated id"
                    + " already (a message given none is named by its stream sequence, receipt and deliveries alike)");
        }
        return new NatsSettings(
                jetStream,
                STREAM_MAX_MESSAGES.get(config),
                STREAM_MAX_BYTES.get(config),
                STREAM_MAX_AGE.get(config),
                replicas,
                storage.equals("memory"),
                ACK_WAIT.get(config),
                CONNECT_TIMEOUT.get(config),
                PUBLISH_TIMEOUT.get(config),
                config.scheme().equals("nats+tls") || TLS.get(config),
                TRUSTSTORE.get(config),
                TRUSTSTORE_PASSWORD.get(config),
                sendGeneratedIds,
                pullMaxBytes);
    }

    @Override
    public String toString() {
        return "NatsSettings{jetStream=" + jetStream + ", tls=" + tls + ", trustStore=" + trustStore + ", trustStorePassword="
                + (trustStorePassword == null ? null : Redaction.MASK) + ", defaultAckWait=" + defaultAckWait
                + ", sendGeneratedIds=" + sendGeneratedIds + "}";
    }
}
