package io.anymq.it.cluster;

import io.anymq.harness.FreePorts;
import io.anymq.harness.ManagedProcess;
import io.anymq.harness.Probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Three RabbitMQ 3.10 nodes ({@code r1@localhost} ... on their own AMQP and distribution ports, one shared {@code epmd}
 * on a private port, one Erlang cookie), the second and third joined to the first with {@code rabbitmqctl stop_app;
 * join_cluster r1@localhost; start_app}. The SDK declares quorum queues by default (their initial group: every node).
 * The leader of the group's queue is read with {@code rabbitmqctl list_queues name leader} and its {@code beam.smp}
 * killed.
 */
final class RabbitMqCluster implements ClusterUnderTest {
    private static final String HOST = "127.0.0.1";
    private static final String SCRIPTS = "/usr/lib/rabbitmq/bin/";
    private final Path dir;
    private final int epmdPort = FreePorts.next();
    private final String cookie = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    private final List<RNode> nodes = new ArrayList<>();
    private ManagedProcess epmd;

    private record RNode(String name, int port, int distPort, Path home, ManagedProcess[] process) {
    }

    RabbitMqCluster(Path dir) {
        this.dir = dir;
        for (int i = 1; i <= 3; i++) {
            nodes.add(new RNode("r" + i + "@localhost", FreePorts.next(), FreePorts.next(), dir.resolve("r" + i), new ManagedProcess[1]));
        }
    }

    @Override
    public void start() throws IOException, InterruptedException {
        Path epmdBinary = Files.isExecutable(Path.of("/usr/bin/epmd")) ? Path.of("/usr/bin/epmd") : Path.of("/usr/lib/erlang/bin/epmd");
        epmd = ManagedProcess.start("epmd", List.of(epmdBinary.toString(), "-port", Integer.toString(epmdPort), "-address", HOST),
                Map.of("ERL_EPMD_ADDRESS", HOST), dir, dir.resolve("epmd.log"), false);
        await("epmd").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> Probes.accepts(HOST, epmdPort));
        for (RNode n : nodes) {
            Files.createDirectories(n.home());
            Files.writeString(n.home().resolve("rabbitmq.conf"), "listeners.tcp.default = " + HOST + ":" + n.port() + "\n"
                    + "loopback_users.guest = true\nlog.console = true\nlog.console.level = info\nlog.file = false\n");
            Files.writeString(n.home().resolve("enabled_plugins"), "[].\n");
            Path cookieFile = n.home().resolve(".erlang.cookie");
            Files.writeString(cookieFile, cookie);
            Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
            n.process()[0] = ManagedProcess.start("rabbitmq-" + n.name(), List.of(SCRIPTS + "rabbitmq-server"), environment(n),
                    n.home(), n.home().resolve("rabbitmq.log"), false);
        }
        for (RNode n : nodes) {
            await("rabbitmq " + n.name()).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> Probes.amqpHandshake(HOST, n.port()));
        }
        RNode first = nodes.get(0);
        for (RNode n : nodes.subList(1, nodes.size())) {
            ctl(n, "stop_app");
            ctl(n, "join_cluster", first.name());
            ctl(n, "start_app");
        }
        await("three running nodes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ctl(first, "eval", "length(rabbit_nodes:all_running()).").strip().equals("3"));
    }

    private Map<String, String> environment(RNode n) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", n.home().toString());
        env.put("RABBITMQ_CONF_ENV_FILE", n.home().resolve("absent").toString());
        env.put("RABBITMQ_NODENAME", n.name());
        env.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(n.port()));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(n.distPort()));
        env.put("RABBITMQ_CONFIG_FILE", n.home().resolve("rabbitmq").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", n.home().resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", n.home().resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", n.home().resolve("logs").toString());
        env.put("RABBITMQ_PID_FILE", n.home().resolve("rabbitmq.pid").toString());
        env.put("ERL_EPMD_ADDRESS", HOST);
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        // as the harness's RabbitMqBroker: the script execs beam.smp, so the process we hold is the node (kill -9 ends it)
        env.put("RABBITMQ_ALLOW_INPUT", "true");
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-noinput -kernel inet_dist_use_interface {127,0,0,1}");
        return env;
    }

    /** {@code rabbitmqctl -n NODE args...} with the node's cookie; its output, or an IOException with it on failure. */
    private String ctl(RNode n, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPTS + "rabbitmqctl", "-n", n.name()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("HOME", n.home().toString(), "RABBITMQ_CONF_ENV_FILE", n.home().resolve("absent").toString(),
                "ERL_EPMD_PORT", Integer.toString(epmdPort), "ERL_EPMD_ADDRESS", HOST));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("rabbitmqctl " + String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("rabbitmqctl " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): " + text);
        }
        return text;
    }

    @Override
    public String url() {
        return "amqp://guest:guest@" + nodes.stream().map(n -> HOST + ":" + n.port()).collect(Collectors.joining(",")) + "/?queue-type=quorum";
    }

    @Override
    public String killLeader(String topic) throws Exception {
        String listing = ctl(nodes.get(0), "list_queues", "-q", "--no-table-headers", "name", "leader");
        for (String line : listing.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].startsWith("anymq:" + topic + ":")) {
                for (RNode n : nodes) {
                    if (n.name().equals(f[1])) {
                        n.process()[0].kill();
                        return "rabbitmq node " + n.name() + " (port " + n.port() + "), leader of quorum queue " + f[0];
                    }
                }
            }
        }
        throw new IllegalStateException("no leader of a queue of topic " + topic + " in: " + listing);
    }

    @Override
    public String setup() {
        return "3 × `rabbitmq-server` 3.10 (one epmd, one cookie), `rabbitmqctl join_cluster`, quorum queues (the SDK's default), URL `amqp://a,b,c/?queue-type=quorum`";
    }

    @Override
    public void close() {
        for (RNode n : nodes) {
            if (n.process()[0] != null) {
                n.process()[0].stop(Duration.ofSeconds(30));
            }
        }
        if (epmd != null) {
            epmd.stop(Duration.ofSeconds(5));
        }
    }
}
