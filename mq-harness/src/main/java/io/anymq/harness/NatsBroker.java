package io.anymq.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * NATS with JetStream from a Debian {@code nats-server} of at least {@link NatsServerBinary#MINIMUM}, configured by a file: file storage under
 * the data directory (survives {@code kill -9}), a monitoring port for the health check, a user
 * when asked, and TLS on the client port when asked.
 */
final class NatsBroker extends LocalBroker {
    private final int monitorPort;

    NatsBroker(BrokerOptions options) {
        super(BrokerKind.NATS, options);
        this.monitorPort = port("monitor");
    }

    @Override
    protected void prepare() throws IOException {
        StringBuilder conf = new StringBuilder();
        conf.append("listen: \"").append(HOST).append(':').append(port).append("\"\n");
        conf.append("http: \"").append(HOST).append(':').append(monitorPort).append("\"\n");
        conf.append("jetstream {\n  store_dir: \"").append(dataDir.resolve("jetstream")).append("\"\n}\n");
        if (options.user() != null) {
            conf.append("authorization {\n  user: \"").append(options.user()).append("\"\n  password: \"")
                    .append(options.password()).append("\"\n}\n");
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        if (tls != null) {
            conf.append("tls {\n  cert_file: \"").append(tls.certPem()).append("\"\n  key_file: \"").append(tls.keyPem()).append("\"\n}\n");
            nativeProperties.put("tls", "true");
        }
        write(dataDir.resolve("nats.conf"), conf.toString());
        nativeProperties.put("server", (tls != null ? "tls://" : "nats://") + userInfo() + HOST + ":" + port);
        nativeProperties.put("monitorUrl", "http://" + HOST + ":" + monitorPort);
    }

    @Override
    protected void launch() {
        String binary = NatsServerBinary.find().toString();
        ManagedProcess p = spawn("nats", List.of(binary, "-c", dataDir.resolve("nats.conf").toString()), Map.of());
        Readiness.await("nats on port " + port, Duration.ofSeconds(20),
                () -> Probes.httpOk("http://" + HOST + ":" + monitorPort + "/healthz?js-enabled-only=true"), p);
    }

    @Override
    public String url() {
        return "nats://" + userInfo() + HOST + ":" + port + (tls != null ? "?tls=true" : "");
    }
}
