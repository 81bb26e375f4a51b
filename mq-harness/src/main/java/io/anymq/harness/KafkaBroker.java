package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kafka 4.4.0 in KRaft mode, one node that is broker and controller, in its own JVM; storage
 * formatted once under the data directory. Optional: a SASL/PLAIN listener for the user, a TLS
 * listener with the generated certificate. The storage is formatted at the first start only, with a
 * cluster id kept in {@code <data>/cluster.id}: every later start (in this JVM or another one, after a
 * stop or a {@code kill -9}) reuses the formatted data.
 */
final class KafkaBroker extends JvmBroker {
    static final String VERSION = "4.4.0";
    private final int controllerPort;
    private final int saslPort;
    private final int tlsPort;
    private String classpath;

    KafkaBroker(BrokerOptions options) {
        super(BrokerKind.KAFKA, options);
        this.controllerPort = port("controller");
        this.saslPort = options.sasl() ? port("sasl") : -1;
        this.tlsPort = options.tls() ? port("tls") : -1;
        if (options.sasl() && options.user() == null) {
            throw new BrokerException("kafka: SASL needs a user and a password");
        }
    }

    @Override
    protected void prepare() throws IOException {
        List<String> listeners = new ArrayList<>(List.of("PLAINTEXT://" + HOST + ":" + port, "CONTROLLER://" + HOST + ":" + controllerPort));
        List<String> protocols = new ArrayList<>(List.of("PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT"));
        StringBuilder p = new StringBuilder();
        p.append("process.roles=broker,controller\nnode.id=1\n");
        p.append("controller.quorum.voters=1@").append(HOST).append(':').append(controllerPort).append('\n');
        p.append("controller.listener.names=CONTROLLER\ninter.broker.listener.name=PLAINTEXT\n");
        p.append("log.dirs=").append(dataDir.resolve("kafka-logs")).append('\n');
        p.append("num.partitions=1\ndefault.replication.factor=1\nmin.insync.replicas=1\n");
        p.append("offsets.topic.replication.factor=1\noffsets.topic.num.partitions=4\n");
        p.append("transaction.state.log.replication.factor=1\ntransaction.state.log.min.isr=1\n");
        p.append("share.coordinator.state.topic.replication.factor=1\nshare.coordinator.state.topic.min.isr=1\n");
        p.append("group.initial.rebalance.delay.ms=0\nbroker.session.timeout.ms=3000\nbroker.heartbeat.interval.ms=1000\n");
        p.append("auto.create.topics.enable=false\nlog.flush.interval.messages=1\n");
        // a test broker: quicker group heartbeats (so rebalances settle in about a second, not five) and record
        // locks as short as one second (so that share groups can take the suite's short ack timeouts)
        p.append("group.consumer.min.heartbeat.interval.ms=500\ngroup.consumer.heartbeat.interval.ms=1000\n");
        p.append("group.share.min.heartbeat.interval.ms=500\ngroup.share.heartbeat.interval.ms=1000\n");
        p.append("group.share.min.record.lock.duration.ms=1000\n");
        if (saslPort > 0) {
            listeners.add("SASL_PLAINTEXT://" + HOST + ":" + saslPort);
            protocols.add("SASL_PLAINTEXT:SASL_PLAINTEXT");
            p.append("sasl.enabled.mechanisms=PLAIN\n");
            p.append("listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ")
                    .append("username=\"").append(options.user()).append("\" password=\"").append(options.password()).append("\" ")
                    .append("user_").append(options.user()).append("=\"").append(options.password()).append("\";\n");
            nativeProperties.put("sasl.bootstrap.servers", HOST + ":" + saslPort);
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        if (tls != null) {
            listeners.add("SSL://" + HOST + ":" + tlsPort);
            protocols.add("SSL:SSL");
            p.append("ssl.keystore.type=PKCS12\nssl.keystore.location=").append(tls.keyStore()).append('\n');
            p.append("ssl.keystore.password=").append(tls.storePassword()).append('\n');
            nativeProperties.put("tls.bootstrap.servers", HOST + ":" + tlsPort);
        }
        p.append("listeners=").append(String.join(",", listeners)).append('\n');
        // a proxy in front of the plaintext port (BrokerOptions.advertisedPort): clients are told to connect to it
        String plaintext = "PLAINTEXT://" + HOST + ":" + port;
        String advertised = options.advertisedPort() > 0 ? "PLAINTEXT://" + HOST + ":" + options.advertisedPort() : plaintext;
        p.append("advertised.listeners=").append(String.join(",", listeners.stream().filter(l -> !l.startsWith("CONTROLLER"))
                .map(l -> l.equals(plaintext) ? advertised : l).toList())).append('\n');
        p.append("listener.security.protocol.map=").append(String.join(",", protocols)).append('\n');
        write(dataDir.resolve("server.properties"), p.toString());
        nativeProperties.put("bootstrap.servers", HOST + ":" + port);
        nativeProperties.put("version", VERSION);

        classpath = MavenClasspath.resolve("kafka");
        if (Files.exists(dataDir.resolve("kafka-logs").resolve("meta.properties"))) {
            return; // formatted by an earlier start (maybe in another JVM): format once, never again on this data
        }
        // the cluster id is chosen once and kept beside the data: a start after a failed format uses it again
        java.nio.file.Path idFile = dataDir.resolve("cluster.id");
        String clusterId;
        if (Files.exists(idFile)) {
            clusterId = Files.readString(idFile).strip();
        } else {
            clusterId = clusterId(new SecureRandom());
            Files.writeString(idFile, clusterId + "\n");
        }
        List<String> format = List.of(java(), "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", clusterId, "-c", dataDir.resolve("server.properties").toString(), "--ignore-formatted");
        Process f = new ProcessBuilder(format).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("format.log").toFile())).start();
        try {
            if (!f.waitFor(120, TimeUnit.SECONDS) || f.exitValue() != 0) {
                throw new BrokerException("kafka storage format failed: " + Files.readString(dataDir.resolve("format.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while formatting kafka storage", e);
        }
    }

    @Override
    protected void launch() {
        ManagedProcess p = spawnJava("kafka", classpath, List.of("-Xmx512m", "-Xms128m", "-XX:+UseG1GC",
                        "-Dorg.apache.logging.log4j.level=INFO"),
                "kafka.Kafka", List.of(dataDir.resolve("server.properties").toString()), Map.of());
        Readiness.await("kafka on port " + port, Duration.ofSeconds(120), () -> Probes.kafkaMetadata(HOST, port), p);
    }

    @Override
    public String url() {
        return "kafka://" + HOST + ":" + port;
    }

    /**
     * A random cluster id as Kafka writes them (16 bytes, URL-safe base64). Never one that starts with
     * '-': the storage tool would read it as an option and fail ("expected one argument"), as Kafka's
     * own {@code Uuid.randomUuid()} avoids too; one start in 64 failed that way.
     */
    static String clusterId(SecureRandom random) {
        byte[] id = new byte[16];
        String s;
        do {
            random.nextBytes(id);
            s = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (s.startsWith("-"));
        return s;
    }
}
