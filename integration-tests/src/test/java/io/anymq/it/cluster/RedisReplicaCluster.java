package io.anymq.it.cluster;

import io.anymq.harness.FreePorts;
import io.anymq.harness.ManagedProcess;
import io.anymq.harness.Probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters with one replica each (six Debian {@code redis-server} processes, AOF with
 * {@code appendfsync always}, {@code cluster-node-timeout 3000}), joined with
 * {@code redis-cli --cluster create ... --cluster-replicas 1}, or with two replicas each (nine processes) for the
 * option {@code wait-replicas=1}, so that the promoted master still has a replica to wait for. (The harness's
 * {@code RedisClusterBroker} has masters only.) The master of the topic's slot ({@code CLUSTER KEYSLOT} of the hash tag,
 * {@code CLUSTER NODES}) is killed; the cluster promotes a replica by itself. Replication is asynchronous: without
 * {@code wait-replicas} a send is confirmed once the master stored it, and what the replica had not received when the
 * master died is gone; with it, once {@code WAIT} said a replica has it.
 */
final class RedisReplicaCluster implements ClusterUnderTest {
    private static final String HOST = "127.0.0.1";
    private final Path dir;
    private final String mode;
    /** Replicas of each master. */
    private final int replicas;
    /** More options after {@code mode} in the URL ({@code &wait-replicas=1}), or empty. */
    private final String options;
    /** Port of each node, with its process. */
    private final Map<Integer, ManagedProcess> nodes = new LinkedHashMap<>();

    RedisReplicaCluster(Path dir, String mode) {
        this(dir, mode, 1, "");
    }

    RedisReplicaCluster(Path dir, String mode, int replicas, String options) {
        this.dir = dir;
        this.mode = mode;
        this.replicas = replicas;
        this.options = options;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3 * (1 + replicas); i++) {
            ports.add(FreePorts.next());
        }
        for (int p : ports) {
            Path home = dir.resolve("node-" + p);
            Files.createDirectories(home);
            nodes.put(p, ManagedProcess.start("redis-" + p, List.of("/usr/bin/redis-server", "--bind", HOST, "--port", Integer.toString(p),
                    "--dir", home.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                    "--protected-mode", "no", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-port", Integer.toString(FreePorts.next()), "--cluster-node-timeout", "3000"),
                    Map.of(), home, home.resolve("redis.log"), false));
        }
        for (int p : ports) {
            await("redis " + p).atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> Probes.redisPing(HOST, p, null, null));
        }
        List<String> create = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add(HOST + ":" + p));
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        String out = run(create);
        if (!out.contains("[OK] All 16384 slots covered")) {
            throw new IOException("redis-cli --cluster create: " + out);
        }
        for (int p : ports) {
            await("redis cluster state ok on " + p).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cli(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        // every replica attached to its master, so that a failover has someone to promote
        await(3 * replicas + " replicas in sync").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cli(ports.get(0), "CLUSTER", "NODES").lines().filter(l -> l.contains("slave") && l.contains("connected")).count() == 3L * replicas);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("did not finish: " + command);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-cli", "-h", HOST, "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    @Override
    public String url() {
        return "redis-cluster://" + nodes.keySet().stream().map(p -> HOST + ":" + p).collect(Collectors.joining(",")) + "?mode=" + mode + options;
    }

    @Override
    public String killLeader(String topic) throws Exception {
        int any = nodes.keySet().iterator().next();
        int slot = Integer.parseInt(cli(any, "CLUSTER", "KEYSLOT", topic).strip()); // the keys' hash tag is {topic}
        for (String line : cli(any, "CLUSTER", "NODES").lines().toList()) {
            String[] f = line.split(" ");
            if (!f[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    nodes.get(port).kill();
                    return "redis master on port " + port + " (slot " + slot + ")";
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    @Override
    public String setup() {
        return 3 * (1 + replicas) + " × `redis-server --cluster-enabled yes --appendfsync always --cluster-node-timeout 3000`, `redis-cli --cluster create ... --cluster-replicas "
                + replicas + "`, URL `redis-cluster://a,...?mode=" + mode + options + "`";
    }

    @Override
    public void close() {
        nodes.values().forEach(p -> p.stop(Duration.ofSeconds(10)));
    }
}
