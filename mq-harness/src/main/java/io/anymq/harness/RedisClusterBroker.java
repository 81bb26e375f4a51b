package io.anymq.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of {@code masters} masters and no replicas, each a Debian {@code redis-server} on
 * its own loopback port and cluster bus port, with AOF and fsync on every write, data under
 * {@code <data>/node-PORT}. The first start joins them with {@code redis-cli --cluster create}
 * (slots spread evenly); a restart brings the same nodes back from their {@code nodes.conf}. Ready
 * when every node reports {@code cluster_state:ok}. The URL is
 * {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2,...}.
 */
public final class RedisClusterBroker extends LocalBroker {
    private final List<Integer> ports = new ArrayList<>();
    private final List<Integer> busPorts = new ArrayList<>();

    public RedisClusterBroker(BrokerOptions options, int masters) {
        super(BrokerKind.REDIS, options);
        if (masters < 3) {
            throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters: " + masters);
        }
        if (options.user() != null || options.tls()) {
            throw new IllegalArgumentException("the harness's Redis Cluster has no users and no TLS");
        }
        ports.add(port);
        for (int i = 1; i < masters; i++) {
            ports.add(FreePorts.next());
        }
        for (int i = 0; i < masters; i++) {
            busPorts.add(FreePorts.next());
        }
    }

    /** The masters' ports, the first being {@link #port()}. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    @Override
    protected void prepare() throws IOException {
        for (int p : ports) {
            Files.createDirectories(dataDir.resolve("node-" + p));
        }
        nativeProperties.put("host", HOST);
        nativeProperties.put("ports", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    @Override
    protected void launch() {
        String binary = requireExecutable("/usr/bin/redis-server", "redis-server").toString();
        List<ManagedProcess> started = new ArrayList<>();
        boolean fresh = false;
        for (int i = 0; i < ports.size(); i++) {
            int p = ports.get(i);
            Path dir = dataDir.resolve("node-" + p);
            fresh |= !Files.exists(dir.resolve("nodes.conf"));
            List<String> cmd = List.of(binary, "--bind", HOST, "--port", Integer.toString(p), "--dir", dir.toString(),
                    "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--protected-mode", "no",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", Integer.toString(busPorts.get(i)),
                    "--cluster-node-timeout", "3000");
            ManagedProcess proc = spawn("redis-" + p, cmd, Map.of());
            started.add(proc);
        }
        ManagedProcess[] watched = started.toArray(ManagedProcess[]::new);
        for (int p : ports) {
            Readiness.await("redis cluster node on port " + p, Duration.ofSeconds(20), () -> Probes.redisPing(HOST, p, null, null), watched);
        }
        if (fresh) {
            create();
        }
        for (int p : ports) {
            Readiness.await("redis cluster state ok on port " + p, Duration.ofSeconds(30),
                    () -> clusterInfo(p).contains("cluster_state:ok"), watched);
        }
    }

    /** {@code redis-cli --cluster create} with every node as a master. */
    private void create() {
        String cli = requireExecutable("/usr/bin/redis-cli", "redis-tools").toString();
        List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
        ports.forEach(p -> cmd.add(HOST + ":" + p));
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path log = dataDir.resolve("logs").resolve("cluster-create.log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BrokerException("redis-cli --cluster create did not finish within 60 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new BrokerException("redis-cli --cluster create failed (exit " + p.exitValue() + "): " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new BrokerException("cannot run redis-cli --cluster create: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while creating the Redis Cluster", e);
        }
    }

    /** The node's {@code CLUSTER INFO} text. */
    private static String clusterInfo(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(Probes.resp("CLUSTER", "INFO").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                header.append((char) c);
            }
            if (header.length() < 2 || header.charAt(0) != '$') {
                return header.toString();
            }
            int length = Integer.parseInt(header.substring(1).strip());
            byte[] body = in.readNBytes(length);
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Override
    public String url() {
        return "redis-cluster://" + ports.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
    }
}
