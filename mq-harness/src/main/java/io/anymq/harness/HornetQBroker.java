package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HornetQ 2.4.7 (Artemis' ancestor): an embedded server with its JMS manager in its own JVM, with a
 * persistent NIO journal under the data directory; one Netty acceptor. Its own JVM also keeps its
 * Netty 4.0 and {@code javax.jms} away from everything else. With {@code withTls} a second acceptor
 * speaks TLS with the generated certificate (native properties {@code tls.port}, {@code tls.url}).
 */
final class HornetQBroker extends JvmBroker {
    private final int tlsPort;
    private String classpath;
    private Path launcher;

    HornetQBroker(BrokerOptions options) {
        super(BrokerKind.HORNETQ, options);
        this.tlsPort = options.tls() ? port("tls") : -1;
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("hornetq");
        launcher = launcherSource("HornetQLauncher.java");
        nativeProperties.put("host", HOST);
        nativeProperties.put("port", Integer.toString(port));
        if (options.user() != null) {
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        if (tls != null) {
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.url", "hornetq+ssl://" + userInfo() + HOST + ":" + tlsPort);
        }
    }

    @Override
    protected void launch() {
        List<String> args = new ArrayList<>(List.of(dataDir.resolve("hornetq-data").toString(), Integer.toString(port)));
        if (options.user() != null) {
            args.addAll(List.of(options.user(), options.password()));
        }
        ManagedProcess p = spawnJava("hornetq", classpath, tlsJvmArgs(tlsPort), launcher.toString(), args, Map.of());
        Readiness.await("hornetq on port " + port, Duration.ofSeconds(90),
                () -> logContains("hornetq", "ANYMQ-READY") && Probes.accepts(HOST, port), p);
    }

    @Override
    public String url() {
        return "hornetq://" + userInfo() + HOST + ":" + port;
    }
}
