package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ActiveMQ Artemis 2.40 (HornetQ's successor): an embedded server in its own JVM with a persistent
 * NIO journal; its acceptor speaks CORE and the HornetQ protocol, and a second one (native property
 * {@code hornetqPort}) speaks the HornetQ protocol with the JMS 1.x prefixes {@code jms.topic.}/{@code jms.queue.}.
 * With {@code withTls} a third one speaks CORE over TLS with the generated certificate (native
 * properties {@code tls.port}, {@code tls.url}).
 */
final class ArtemisBroker extends JvmBroker {
    private final int tlsPort;
    private String classpath;
    private Path launcher;
    private int hornetqPort;

    ArtemisBroker(BrokerOptions options) {
        super(BrokerKind.ARTEMIS, options);
        this.tlsPort = options.tls() ? port("tls") : -1;
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("artemis");
        launcher = launcherSource("ArtemisLauncher.java");
        nativeProperties.put("brokerUrl", "tcp://" + HOST + ":" + port);
        nativeProperties.put("protocols", "CORE,HORNETQ");
        hornetqPort = port("hornetq");
        // a second acceptor for HornetQ 2.4 clients with the JMS 1.x prefixes: their topic jms.topic.T is the address T
        nativeProperties.put("hornetqPort", Integer.toString(hornetqPort));
        if (options.user() != null) {
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        if (tls != null) {
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.url", "artemis+ssl://" + userInfo() + HOST + ":" + tlsPort);
        }
    }

    @Override
    protected void launch() {
        List<String> args = new ArrayList<>(List.of(dataDir.resolve("artemis-data").toString(), Integer.toString(port),
                Integer.toString(hornetqPort)));
        if (options.user() != null) {
            args.addAll(List.of(options.user(), options.password()));
        }
        ManagedProcess p = spawnJava("artemis", classpath, tlsJvmArgs(tlsPort), launcher.toString(), args, Map.of());
        Readiness.await("artemis on port " + port, Duration.ofSeconds(90),
                () -> logContains("artemis", "ANYMQ-READY") && Probes.accepts(HOST, port), p);
    }

    @Override
    public String url() {
        return "artemis://" + userInfo() + HOST + ":" + port;
    }
}
