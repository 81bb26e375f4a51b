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
 * Netty 4.0 and {@code javax.jms} away from everything else.
 */
final class HornetQBroker extends JvmBroker {
    private String classpath;
    private Path launcher;

    HornetQBroker(BrokerOptions options) {
        super(BrokerKind.HORNETQ, options);
        if (options.tls()) {
            throw new BrokerException("hornetq: TLS is not offered by this harness");
        }
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
    }

    @Override
    protected void launch() {
        List<String> args = new ArrayList<>(List.of(dataDir.resolve("hornetq-data").toString(), Integer.toString(port)));
        if (options.user() != null) {
            args.addAll(List.of(options.user(), options.password()));
        }
        ManagedProcess p = spawnJava("hornetq", classpath, List.of("-Xmx256m"), launcher.toString(), args, Map.of());
        Readiness.await("hornetq on port " + port, Duration.ofSeconds(90),
                () -> logContains("hornetq", "ANYMQ-READY") && Probes.accepts(HOST, port), p);
    }

    @Override
    public String url() {
        return "hornetq://" + userInfo() + HOST + ":" + port;
    }
}
