package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ from Debian's {@code rabbitmq-server} as a private node: its own node name, ports,
 * Mnesia directory and epmd, all on loopback. The harness starts the node's epmd itself, in the
 * foreground, so that it is stopped (and reaped) with the node and never outlives it: a stop or a
 * kill ends both, and the next start begins a new epmd on the same port. The node's process is the
 * Erlang VM itself ({@code beam.smp}; the start script execs it), so {@link #pid()} is the process
 * that serves.
 */
final class RabbitMqBroker extends LocalBroker {
    private final int distPort;
    private final int epmdPort;
    private final int tlsPort;

    RabbitMqBroker(BrokerOptions options) {
        super(BrokerKind.RABBITMQ, options);
        this.distPort = port("dist");
        this.epmdPort = port("epmd");
        this.tlsPort = options.tls() ? port("tls") : -1;
    }

    @Override
    protected void prepare() throws IOException {
        StringBuilder conf = new StringBuilder();
        conf.append("listeners.tcp.default = ").append(HOST).append(':').append(port).append('\n');
        conf.append("loopback_users.guest = true\n");
        conf.append("log.console = true\nlog.console.level = info\nlog.file = false\n");
        if (options.user() != null) {
            conf.append("default_user = ").append(options.user()).append('\n');
            conf.append("default_pass = ").append(options.password()).append('\n');
        }
        if (tls != null) {
            conf.append("listeners.ssl.default = ").append(HOST).append(':').append(tlsPort).append('\n');
            conf.append("ssl_options.cacertfile = ").append(tls.certPem()).append('\n');
            conf.append("ssl_options.certfile = ").append(tls.certPem()).append('\n');
            conf.append("ssl_options.keyfile = ").append(tls.keyPem()).append('\n');
            conf.append("ssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n");
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.url", "amqps://" + credentials() + "@" + HOST + ":" + tlsPort + "/");
        }
        write(dataDir.resolve("rabbitmq.conf"), conf.toString());
        write(dataDir.resolve("enabled_plugins"), "[].\n");
        nativeProperties.put("host", HOST);
        nativeProperties.put("port", Integer.toString(port));
        nativeProperties.put("user", options.user() == null ? "guest" : options.user());
        nativeProperties.put("password", options.password() == null ? "guest" : options.password());
        nativeProperties.put("virtualHost", "/");
        // what rabbitmqctl needs to reach this node (with HOME set to the data directory, for the cookie)
        nativeProperties.put("node.name", "anymq" + port + "@localhost");
        nativeProperties.put("epmd.port", Integer.toString(epmdPort));
    }

    private String credentials() {
        return options.user() == null ? "guest:guest" : options.user() + ":" + options.password();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dataDir.toString());
        env.put("RABBITMQ_CONF_ENV_FILE", dataDir.resolve("absent").toString());
        env.put("RABBITMQ_NODENAME", "anymq" + port + "@localhost");
        env.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_CONFIG_FILE", dataDir.resolve("rabbitmq").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dataDir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", dataDir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dataDir.resolve("rabbit-logs").toString());
        env.put("RABBITMQ_PID_FILE", dataDir.resolve("rabbitmq.pid").toString());
        env.put("ERL_EPMD_ADDRESS", HOST);
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        // RABBITMQ_ALLOW_INPUT: the script execs the Erlang VM instead of running it as a child behind a shell that
        // waits, so the process the harness started (and whose id pid() and mq broker list show) IS beam.smp: a
        // kill -9 of it ends the broker, a SIGTERM stops it gracefully (RabbitMQ's own signal handler). -noinput
        // keeps the VM from reading its input, as the script does without that variable.
        env.put("RABBITMQ_ALLOW_INPUT", "true");
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-noinput -kernel inet_dist_use_interface {127,0,0,1}");
        return env;
    }

    @Override
    protected void launch() {
        String script = requireExecutable("/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server").toString();
        // the node's own epmd, in the foreground as our child: stopped and reaped with the node, never left behind
        ManagedProcess epmd = spawn("epmd", List.of(epmd().toString(), "-port", Integer.toString(epmdPort), "-address", HOST),
                Map.of("ERL_EPMD_ADDRESS", HOST));
        Readiness.await("epmd on port " + epmdPort, Duration.ofSeconds(10), () -> Probes.accepts(HOST, epmdPort), epmd);
        ManagedProcess node = spawn("rabbitmq", List.of(script), environment());
        Readiness.await("rabbitmq on port " + port, Duration.ofSeconds(90), () -> Probes.amqpHandshake(HOST, port), node, epmd);
    }

    private static Path epmd() {
        Path epmd = Path.of("/usr/bin/epmd");
        return epmd.toFile().canExecute() ? epmd : Path.of("/usr/lib/erlang/bin/epmd");
    }

    @Override
    public String url() {
        return "amqp://" + credentials() + "@" + HOST + ":" + port;
    }
}
