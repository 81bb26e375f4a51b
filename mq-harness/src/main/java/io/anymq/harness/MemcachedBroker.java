package io.anymq.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Memcached from Debian's {@code memcached}; TCP only; nothing survives a restart. */
final class MemcachedBroker extends LocalBroker {

    MemcachedBroker(BrokerOptions options) {
        super(BrokerKind.MEMCACHED, options);
        if (options.user() != null || options.tls()) {
            throw new BrokerException("memcached: users (SASL) and TLS are not offered by this harness");
        }
    }

    @Override
    protected void prepare() {
        nativeProperties.put("servers", HOST + ":" + port);
    }

    @Override
    protected void launch() {
        String binary = requireExecutable("/usr/bin/memcached", "memcached").toString();
        List<String> cmd = new ArrayList<>(List.of(binary, "-l", HOST, "-p", Integer.toString(port), "-U", "0", "-m", "64"));
        if (runningAsRoot()) {
            cmd.addAll(List.of("-u", "root"));
        }
        ManagedProcess p = spawn("memcached", cmd, Map.of());
        Readiness.await("memcached on port " + port, Duration.ofSeconds(10), () -> Probes.memcachedVersion(HOST, port), p);
    }

    @Override
    public String url() {
        return "memcached://" + HOST + ":" + port;
    }
}
