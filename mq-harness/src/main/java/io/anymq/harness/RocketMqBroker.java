package io.anymq.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RocketMQ 5.3.3: a name server and a proxy in local mode (which embeds the broker), two JVMs
 * with {@code ROCKETMQ_HOME} and {@code user.home} under the data directory. The gRPC client does
 * not create topics: {@link #createTopic} does, with the admin tool. Ready when creating a topic
 * succeeds. The proxy's gRPC, remoting and HA ports listen on all interfaces (no option restricts them), and so does the
 * broker's second remoting listener, which it opens at its port minus 2 (chosen free too).
 * The broker allows MIXED topics ({@code enableMixedMessageType=true}): mq-rocketmq creates its topics so,
 * to take normal and delayed messages alike.
 * The proxy takes invisible times (mq-rocketmq's ack timeout) from {@value #MIN_INVISIBLE_MILLIS} ms
 * ({@code minInvisibleTimeMillsForRecv}; RocketMQ's default is 10 s), so that tests of ack timeouts wait seconds,
 * not tens of seconds; a client uses that only when told ({@code min-ack-timeout=1000ms}).
 *
 * <p>With an advertised port ({@link BrokerOptions#withAdvertisedPort}, for a {@link TcpProxy} in front of the
 * proxy's port): a proxy in local mode names {@code brokerIP1:grpcServerPort} in its route answers, and the
 * gRPC client moves there, past the TCP proxy. So the broker runs as a JVM of its own and the proxy in
 * cluster mode with {@code useEndpointPortFromRequest}: its routes name the endpoint each client asked
 * through, which for a client of the TCP proxy is the advertised port. Three JVMs instead of two; not with
 * a user (the cluster mode's authentication is not set up).
 */
public final class RocketMqBroker extends JvmBroker {
    /** The shortest invisible time the proxy takes at a receive (its {@code minInvisibleTimeMillsForRecv}). */
    public static final long MIN_INVISIBLE_MILLIS = 1000;

    private final int namesrvPort;
    private final int brokerPort;
    private final int haPort;
    private final int remotingPort;
    private String classpath;

    RocketMqBroker(BrokerOptions options) {
        super(BrokerKind.ROCKETMQ, options); // port = the proxy's gRPC port, what rocketmq-client-java uses
        this.namesrvPort = port("namesrv");
        // the broker also listens on listenPort - 2 (its "fast" remoting server, BrokerController; no option moves it)
        this.brokerPort = port("broker", () -> FreePorts.nextWithFreeBelow(2));
        this.haPort = port("ha");
        this.remotingPort = port("remoting");
        if (options.advertisedPort() != 0 && options.user() != null) {
            throw new BrokerException("rocketmq: an advertised port (the proxy in cluster mode) is not offered with a user");
        }
        if (options.tls()) {
            // the proxy's gRPC port takes TLS already (tlsTestModeEnable, its default: TLS and plaintext on one port)
            throw new BrokerException("rocketmq: a separate TLS listener is not offered; the proxy's port takes TLS and plaintext alike");
        }
    }

    /** The embedded broker's remoting port (it listens on this port minus 2 as well). */
    int brokerPort() {
        return brokerPort;
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("rocketmq");
        String namesrv = HOST + ":" + namesrvPort;
        write(dataDir.resolve("namesrv.conf"), "listenPort=" + namesrvPort + "\nbindAddress=" + HOST + "\n");
        write(dataDir.resolve("broker.conf"), String.join("\n",
                "brokerClusterName=DefaultCluster", "brokerName=anymq", "brokerId=0", "namesrvAddr=" + namesrv,
                "listenPort=" + brokerPort, "haListenPort=" + haPort,
                "storePathRootDir=" + dataDir.resolve("store"), "storePathCommitLog=" + dataDir.resolve("store/commitlog"),
                "brokerIP1=" + HOST, "skipPreOnline=true", "autoCreateTopicEnable=true",
                "mappedFileSizeCommitLog=67108864", "flushDiskType=SYNC_FLUSH", "enablePropertyFilter=true",
                "enableMixedMessageType=true", "") + authentication("=", "\n", ""));
        write(dataDir.resolve("rmq-proxy.json"), "{\"grpcServerPort\": " + port + ", \"remotingListenPort\": " + remotingPort
                + ", \"namesrvAddr\": \"" + namesrv + "\", \"rocketMQClusterName\": \"DefaultCluster\""
                + ", \"minInvisibleTimeMillsForRecv\": " + MIN_INVISIBLE_MILLIS
                + (clusterMode() ? ", \"useEndpointPortFromRequest\": true" : "")
                + authentication(": ", "", ", ") + "}\n");
        java.nio.file.Files.createDirectories(dataDir.resolve("home"));
        if (options.user() != null) {
            // the admin tool (readiness, createTopic) reads its credentials here
            write(dataDir.resolve("home/conf/tools.yml"), "accessKey: " + options.user() + "\nsecretKey: " + options.password() + "\n");
            nativeProperties.put("accessKey", options.user());
        }
        nativeProperties.put("endpoints", HOST + ":" + port);
        nativeProperties.put("namesrvAddr", namesrv);
        nativeProperties.put("clusterName", "DefaultCluster");
    }

    /**
     * With a user: ACL 2.0 authentication (no authorization) on the broker (remoting) and the proxy
     * (gRPC), the user created at the first start, its credentials also used by the broker's inner
     * clients. Each entry as {@code key SEP value END}, joined after {@code lead}; empty without a user.
     */
    private String authentication(String sep, String end, String lead) {
        if (options.user() == null) {
            return "";
        }
        boolean json = end.isEmpty();
        String user = "{\"username\":\"" + options.user() + "\",\"password\":\"" + options.password() + "\"}";
        String inner = "{\"accessKey\":\"" + options.user() + "\",\"secretKey\":\"" + options.password() + "\"}";
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        entries.put("authenticationEnabled", "true");
        entries.put("authenticationProvider", "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider");
        entries.put("authenticationMetadataProvider", json
                ? "org.apache.rocketmq.proxy.auth.ProxyAuthenticationMetadataProvider"
                : "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider");
        if (!json) {
            entries.put("initAuthenticationUser", user);
        }
        entries.put("innerClientAuthenticationCredentials", inner);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (json) {
                String v = e.getValue().equals("true") ? "true" : "\"" + e.getValue().replace("\"", "\\\"") + "\"";
                b.append(lead).append('"').append(e.getKey()).append('"').append(sep).append(v);
            } else {
                b.append(e.getKey()).append(sep).append(e.getValue()).append(end);
            }
        }
        return b.toString();
    }

    private Map<String, String> environment() {
        return Map.of("ROCKETMQ_HOME", dataDir.resolve("home").toString());
    }

    private List<String> jvm(String heap) {
        return List.of(heap, "-Duser.home=" + dataDir, "-Drocketmq.home.dir=" + dataDir.resolve("home"),
                "-Dlogback.configurationFile=" + dataDir.resolve("absent.xml"));
    }

    @Override
    protected void launch() {
        ManagedProcess ns = spawnJava("namesrv", classpath, jvm("-Xmx128m"), "org.apache.rocketmq.namesrv.NamesrvStartup",
                List.of("-c", dataDir.resolve("namesrv.conf").toString()), environment());
        Readiness.await("rocketmq name server on port " + namesrvPort, Duration.ofSeconds(60), () -> Probes.accepts(HOST, namesrvPort), ns);
        if (clusterMode()) {
            ManagedProcess broker = spawnJava("broker", classpath, jvm("-Xmx512m"), "org.apache.rocketmq.broker.BrokerStartup",
                    List.of("-c", dataDir.resolve("broker.conf").toString()), environment());
            Readiness.await("rocketmq broker on port " + brokerPort, Duration.ofSeconds(120), () -> Probes.accepts(HOST, brokerPort), ns, broker);
            ManagedProcess proxy = spawnJava("proxy", classpath, jvm("-Xmx256m"), "org.apache.rocketmq.proxy.ProxyStartup",
                    List.of("-pm", "cluster", "-pc", dataDir.resolve("rmq-proxy.json").toString()), environment());
            Readiness.await("rocketmq proxy (cluster mode) on port " + port, Duration.ofSeconds(120),
                    () -> Probes.accepts(HOST, port) && tryCreateTopic("anymq-ready", "NORMAL"), ns, broker, proxy);
            return;
        }
        ManagedProcess proxy = spawnJava("proxy", classpath, jvm("-Xmx512m"), "org.apache.rocketmq.proxy.ProxyStartup",
                List.of("-pm", "local", "-pc", dataDir.resolve("rmq-proxy.json").toString(), "-bc", dataDir.resolve("broker.conf").toString()),
                environment());
        Readiness.await("rocketmq proxy on port " + port, Duration.ofSeconds(120),
                () -> Probes.accepts(HOST, port) && tryCreateTopic("anymq-ready", "NORMAL"), ns, proxy);
    }

    /** The broker in a JVM of its own and the proxy in cluster mode, naming the client's endpoint in its routes (see above). */
    private boolean clusterMode() {
        return options.advertisedPort() != 0;
    }

    /**
     * Creates the topic with the message type (NORMAL, FIFO, DELAY or TRANSACTION) through the admin
     * tool, retrying while the broker registers with the name server.
     */
    public void createTopic(String topic, String messageType) {
        Readiness.await("rocketmq topic " + topic, Duration.ofSeconds(60), () -> tryCreateTopic(topic, messageType));
    }

    private boolean tryCreateTopic(String topic, String messageType) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("updateTopic", "-n", HOST + ":" + namesrvPort, "-c", "DefaultCluster",
                "-t", topic, "-a", "+message.type=" + messageType));
        if ("FIFO".equals(messageType)) {
            args.addAll(List.of("-o", "true"));
        }
        return admin(args).contains("success");
    }

    /**
     * Runs the admin tool ({@code MQAdminStartup}) with these arguments against this broker's name
     * server and returns its output; empty when it failed. For example {@code sendMessage -t T -p BODY}.
     */
    public String admin(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(java(), "-Xmx128m", "-Duser.home=" + dataDir, "-cp", classpath,
                "org.apache.rocketmq.tools.command.MQAdminStartup"));
        cmd.addAll(args);
        if (!args.contains("-n")) {
            cmd.addAll(List.of("-n", HOST + ":" + namesrvPort));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "";
        }
        return p.exitValue() == 0 ? out : "";
    }

    /** The proxy's endpoint, with the name server that mq-rocketmq's admin path (topics, groups) needs. */
    @Override
    public String url() {
        return "rocketmq://" + userInfo() + HOST + ":" + port + "?namesrv=" + HOST + ":" + namesrvPort;
    }
}
