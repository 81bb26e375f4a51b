package io.anymq.it.cluster;

import io.anymq.harness.FreePorts;
import io.anymq.harness.ManagedProcess;
import io.anymq.harness.NatsServerBinary;
import io.anymq.harness.Probes;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Three {@code nats-server} processes in one cluster (routes between all of them), JetStream with file storage on each;
 * the SDK's topic stream is made with {@code stream.replicas=3}. The stream's leader is asked from JetStream
 * ({@code StreamInfo.clusterInfo.leader}, a server name) and that server is killed.
 */
final class NatsCluster implements ClusterUnderTest {
    private static final String HOST = "127.0.0.1";
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    private record Node(String name, int port, int monitorPort, int routePort, ManagedProcess[] process) {
    }

    NatsCluster(Path dir) {
        this.dir = dir;
        for (int i = 1; i <= 3; i++) {
            nodes.add(new Node("n" + i, FreePorts.next(), FreePorts.next(), FreePorts.next(), new ManagedProcess[1]));
        }
    }

    @Override
    public void start() throws IOException {
        String routes = nodes.stream().map(n -> "nats-route://" + HOST + ":" + n.routePort()).collect(Collectors.joining(", "));
        for (Node n : nodes) {
            Path home = dir.resolve(n.name());
            Files.createDirectories(home);
            String conf = "server_name: " + n.name() + "\n"
                    + "listen: \"" + HOST + ":" + n.port() + "\"\n"
                    + "http: \"" + HOST + ":" + n.monitorPort() + "\"\n"
                    + "jetstream {\n  store_dir: \"" + home.resolve("jetstream") + "\"\n}\n"
                    + "cluster {\n  name: drill\n  listen: \"" + HOST + ":" + n.routePort() + "\"\n  routes: [" + routes + "]\n}\n";
            Files.writeString(home.resolve("nats.conf"), conf);
            n.process()[0] = ManagedProcess.start("nats-" + n.name(), List.of(NatsServerBinary.find().toString(), "-c", home.resolve("nats.conf").toString()),
                    Map.of(), home, home.resolve("nats.log"), false);
        }
        // /healthz (without js-enabled-only) is 200 once JetStream's meta group has a leader this server follows
        for (Node n : nodes) {
            await("nats " + n.name() + " healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> Probes.httpOk("http://" + HOST + ":" + n.monitorPort() + "/healthz"));
        }
    }

    @Override
    public String url() {
        return "nats://" + nodes.stream().map(n -> HOST + ":" + n.port()).collect(Collectors.joining(","))
                + "?jetstream=true&stream.replicas=3";
    }

    @Override
    public String killLeader(String topic) throws Exception {
        String leader;
        Options options = new Options.Builder().servers(nodes.stream().map(n -> "nats://" + HOST + ":" + n.port()).toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(2)).build();
        try (Connection c = Nats.connect(options)) {
            JetStreamManagement jsm = c.jetStreamManagement();
            List<String> streams = jsm.getStreamNames(topic);
            if (streams.size() != 1) {
                throw new IllegalStateException("expected one stream for subject " + topic + ": " + streams);
            }
            leader = jsm.getStreamInfo(streams.get(0)).getClusterInfo().getLeader();
        }
        for (Node n : nodes) {
            if (n.name().equals(leader)) {
                n.process()[0].kill();
                return "nats-server " + leader + " (port " + n.port() + ")";
            }
        }
        throw new IllegalStateException("the stream's leader '" + leader + "' is none of " + nodes);
    }

    @Override
    public String setup() {
        return "3 × `nats-server -c n.conf` (cluster routes to all, JetStream file storage), URL `nats://a,b,c?jetstream=true&stream.replicas=3`";
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.process()[0] != null) {
                n.process()[0].stop(Duration.ofSeconds(10));
            }
        }
    }
}
