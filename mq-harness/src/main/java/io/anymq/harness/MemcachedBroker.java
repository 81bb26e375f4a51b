package io.anymq.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Memcached from Debian's {@code memcached}; TCP only; nothing survives a restart. It runs with
 * {@code -M} (no eviction: a full server refuses writes instead of dropping items), which a queue on
 * memcached needs for at-least-once. With a user, it runs with {@code -S}: SASL through Cyrus SASL's
 * sasldb (a {@code sasldb2} file made with {@code saslpasswd2}, from Debian's {@code sasl2-bin}; mechanism
 * PLAIN); memcached then speaks only the binary protocol.
 */
final class MemcachedBroker extends LocalBroker {

    MemcachedBroker(BrokerOptions options) {
        super(BrokerKind.MEMCACHED, options);
        if (options.tls()) {
            throw new BrokerException("memcached: TLS is not offered by this harness");
        }
    }

    @Override
    protected void prepare() throws IOException {
        nativeProperties.put("servers", HOST + ":" + port);
        nativeProperties.put("evictions", "off");
        if (options.user() != null) {
            Path conf = dataDir.resolve("sasl");
            Path db = conf.resolve("sasldb2");
            write(conf.resolve("memcached.conf"), "mech_list: plain\nsasldb_path: " + db.toAbsolutePath() + "\n");
            String saslpasswd = requireExecutable("/usr/sbin/saslpasswd2", "saslpasswd2 (Debian package sasl2-bin)").toString();
            Process p = new ProcessBuilder(saslpasswd, "-p", "-c", "-a", "memcached", "-f", db.toAbsolutePath().toString(), options.user())
                    .redirectErrorStream(true).start();
            p.getOutputStream().write(options.password().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new BrokerException("saslpasswd2 failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("interrupted while making the sasldb");
            }
            nativeProperties.put("sasl.conf", conf.toString());
        }
    }

    @Override
    protected void launch() {
        String binary = requireExecutable("/usr/bin/memcached", "memcached").toString();
        List<String> cmd = new ArrayList<>(List.of(binary, "-l", HOST, "-p", Integer.toString(port), "-U", "0", "-m", "64", "-M"));
        if (runningAsRoot()) {
            cmd.addAll(List.of("-u", "root"));
        }
        if (options.user() != null) {
            cmd.add("-S");
            ManagedProcess p = spawn("memcached", cmd, Map.of("SASL_CONF_PATH", dataDir.resolve("sasl").toAbsolutePath().toString()));
            // with SASL memcached answers only authenticated binary requests: ready when the port accepts
            Readiness.await("memcached on port " + port, Duration.ofSeconds(10), () -> Probes.accepts(HOST, port), p);
            return;
        }
        ManagedProcess p = spawn("memcached", cmd, Map.of());
        Readiness.await("memcached on port " + port, Duration.ofSeconds(10), () -> Probes.memcachedVersion(HOST, port), p);
    }

    @Override
    public String url() {
        return "memcached://" + userInfo() + HOST + ":" + port;
    }
}
