package io.anymq.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redis from Debian's {@code redis-server}: AOF with fsync on every write (acknowledged writes
 * survive {@code kill -9}); an ACL user instead of the default user when a user is given; a TLS
 * port with a generated certificate when asked.
 */
final class RedisBroker extends LocalBroker {
    private final int tlsPort;

    RedisBroker(BrokerOptions options) {
        super(BrokerKind.REDIS, options);
        this.tlsPort = options.tls() ? port("tls") : -1;
    }

    @Override
    protected void prepare() {
        if (options.user() != null) {
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
        }
        nativeProperties.put("host", HOST);
        nativeProperties.put("port", Integer.toString(port));
        if (tlsPort > 0) {
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.url", "rediss://" + userInfo() + HOST + ":" + tlsPort);
        }
    }

    @Override
    protected void launch() {
        String binary = requireExecutable("/usr/bin/redis-server", "redis-server").toString();
        List<String> cmd = new ArrayList<>(List.of(binary, "--bind", HOST, "--port", Integer.toString(port),
                "--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--protected-mode", "no"));
        if (options.user() != null) {
            cmd.addAll(List.of("--user", "default", "off", "--user", options.user(), "on", ">" + options.password(), "~*", "&*", "+@all"));
        }
        if (tlsPort > 0) {
            cmd.addAll(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", tls.certPem().toString(),
                    "--tls-key-file", tls.keyPem().toString(), "--tls-ca-cert-file", tls.certPem().toString(),
                    "--tls-auth-clients", "no"));
        }
        ManagedProcess p = spawn("redis", cmd, Map.of());
        Readiness.await("redis on port " + port, java.time.Duration.ofSeconds(20),
                () -> Probes.redisPing(HOST, port, options.user(), options.password()), p);
    }

    @Override
    public String url() {
        return "redis://" + userInfo() + HOST + ":" + port;
    }
}
