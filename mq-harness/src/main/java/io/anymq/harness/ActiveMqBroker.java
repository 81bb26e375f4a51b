package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ActiveMQ Classic 6.1: an embedded BrokerService in its own JVM, persistent with KahaDB under the data
 * directory, with {@code schedulerSupport} (delayed messages held) unless {@code withoutScheduler}; with {@code withTls}
 * also an {@code ssl://} connector with the generated certificate (native properties {@code tls.port}, {@code tls.url}).
 */
final class ActiveMqBroker extends JvmBroker {
    private final int tlsPort;
    private String classpath;
    private Path launcher;

    ActiveMqBroker(BrokerOptions options) {
        super(BrokerKind.ACTIVEMQ, options);
        this.tlsPort = options.tls() ? port("tls") : -1;
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("activemq");
        launcher = launcherSource("ActiveMqLauncher.java");
        nativeProperties.put("brokerUrl", "tcp://" + HOST + ":" + port);
        if (options.user() != null) {
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        if (tls != null) {
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.url", "activemq+ssl://" + userInfo() + HOST + ":" + tlsPort);
        }
    }

    /**
     * 1 GB, a packaged broker's heap ({@code bin/setenv}), its memory limit 70 % of it (the launcher, as
     * {@code activemq.xml}): with 256 MB, three nacked messages of the 16 MiB maximum ran the broker out of heap.
     */
    @Override
    protected String heap() {
        return "-Xmx1g";
    }

    @Override
    protected void launch() {
        List<String> args = new ArrayList<>(List.of(dataDir.resolve("activemq-data").toString(), Integer.toString(port)));
        if (options.user() != null) {
            args.addAll(List.of(options.user(), options.password()));
        }
        List<String> jvm = new ArrayList<>(tlsJvmArgs(tlsPort));
        if (options.noScheduler()) {
            jvm.add("-Danymq.scheduler=false");
        }
        ManagedProcess p = spawnJava("activemq", classpath, jvm, launcher.toString(), args, Map.of());
        Readiness.await("activemq on port " + port, Duration.ofSeconds(90),
                () -> logContains("activemq", "ANYMQ-READY") && Probes.greets(HOST, port, "ActiveMQ"), p);
    }

    @Override
    public String url() {
        return "activemq://" + userInfo() + HOST + ":" + port;
    }
}
