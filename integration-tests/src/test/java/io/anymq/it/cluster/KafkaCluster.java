package io.anymq.it.cluster;

import io.anymq.harness.FreePorts;
import io.anymq.harness.ManagedProcess;
import io.anymq.harness.MavenClasspath;
import io.anymq.harness.Probes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Three Kafka 4.4 KRaft nodes, each broker and controller ({@code controller.quorum.voters} names all three), one JVM
 * each with {@code -Xmx512m}: replication factor 3 and {@code min.insync.replicas=2} for every topic (the SDK's topic,
 * the group offsets). The SDK makes the topic with one partition; its leader is asked with Admin
 * {@code describeTopics} and that node is killed.
 */
final class KafkaCluster implements ClusterUnderTest {
    private static final String HOST = "127.0.0.1";
    private final Path dir;
    private final List<KNode> nodes = new ArrayList<>();

    private record KNode(int id, int port, int controllerPort, ManagedProcess[] process) {
    }

    KafkaCluster(Path dir) {
        this.dir = dir;
        for (int i = 1; i <= 3; i++) {
            nodes.add(new KNode(i, FreePorts.next(), FreePorts.next(), new ManagedProcess[1]));
        }
    }

    @Override
    public void start() throws IOException, InterruptedException {
        String classpath = MavenClasspath.resolve("kafka");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String voters = nodes.stream().map(n -> n.id() + "@" + HOST + ":" + n.controllerPort()).collect(Collectors.joining(","));
        byte[] uuid = new byte[16];
        UUID u = UUID.randomUUID();
        ByteBuffer.wrap(uuid).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        String clusterId = "a" + Base64.getUrlEncoder().withoutPadding().encodeToString(uuid).substring(1); // never '-' first
        for (KNode n : nodes) {
            Path home = dir.resolve("node-" + n.id());
            Files.createDirectories(home);
            String props = "process.roles=broker,controller\nnode.id=" + n.id() + "\n"
                    + "controller.quorum.voters=" + voters + "\n"
                    + "listeners=PLAINTEXT://" + HOST + ":" + n.port() + ",CONTROLLER://" + HOST + ":" + n.controllerPort() + "\n"
                    + "advertised.listeners=PLAINTEXT://" + HOST + ":" + n.port() + "\n"
                    + "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT\n"
                    + "controller.listener.names=CONTROLLER\ninter.broker.listener.name=PLAINTEXT\n"
                    + "log.dirs=" + home.resolve("kafka-logs") + "\n"
                    + "num.partitions=1\ndefault.replication.factor=3\nmin.insync.replicas=2\n"
                    + "offsets.topic.replication.factor=3\noffsets.topic.num.partitions=4\n"
                    + "transaction.state.log.replication.factor=3\ntransaction.state.log.min.isr=2\n"
                    + "share.coordinator.state.topic.replication.factor=3\nshare.coordinator.state.topic.min.isr=2\n"
                    + "group.initial.rebalance.delay.ms=0\nbroker.session.timeout.ms=3000\nbroker.heartbeat.interval.ms=1000\n"
                    + "group.consumer.min.heartbeat.interval.ms=500\ngroup.consumer.heartbeat.interval.ms=1000\n"
                    + "auto.create.topics.enable=false\n";
            Path file = home.resolve("server.properties");
            Files.writeString(file, props);
            Process format = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", clusterId, "-c", file.toString(), "--ignore-formatted")
                    .redirectErrorStream(true).redirectOutput(home.resolve("format.log").toFile()).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IOException("kafka storage format of node " + n.id() + " failed: " + Files.readString(home.resolve("format.log")));
            }
        }
        for (KNode n : nodes) {
            Path home = dir.resolve("node-" + n.id());
            n.process()[0] = ManagedProcess.start("kafka-" + n.id(), List.of(java, "-Xmx512m", "-Xms128m", "-XX:+UseG1GC",
                            "-cp", classpath, "kafka.Kafka", home.resolve("server.properties").toString()),
                    Map.of(), home, home.resolve("kafka.log"), false);
        }
        for (KNode n : nodes) {
            await("kafka node " + n.id()).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> Probes.kafkaMetadata(HOST, n.port()));
        }
        try (Admin admin = admin()) {
            await("kafka cluster of 3").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 3);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private String bootstrap() {
        return nodes.stream().map(n -> HOST + ":" + n.port()).collect(Collectors.joining(","));
    }

    @Override
    public String url() {
        return "kafka://" + bootstrap() + "?partitions=1&replication=3";
    }

    @Override
    public String killLeader(String topic) throws Exception {
        Node leader;
        try (Admin admin = admin()) {
            leader = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().get(0).leader();
        }
        for (KNode n : nodes) {
            if (n.id() == leader.id()) {
                n.process()[0].kill();
                return "kafka node " + n.id() + " (port " + n.port() + "), leader of partition 0";
            }
        }
        throw new IllegalStateException("the partition's leader " + leader + " is none of " + nodes);
    }

    @Override
    public String setup() {
        return "3 KRaft nodes (broker+controller, `-Xmx512m`), RF 3, `min.insync.replicas=2`, URL `kafka://a,b,c?partitions=1&replication=3` (acks=all, idempotent)";
    }

    @Override
    public void close() {
        for (KNode n : nodes) {
            if (n.process()[0] != null) {
                n.process()[0].stop(Duration.ofSeconds(20));
            }
        }
    }
}
