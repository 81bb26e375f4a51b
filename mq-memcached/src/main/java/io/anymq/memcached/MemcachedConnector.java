package io.anymq.memcached;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MessagingException;
import io.anymq.MqUrl;
import io.anymq.Redaction;
import com.google.code.yanf4j.core.impl.StandardSocketOption;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.auth.AuthInfo;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builds the xmemcached client from the configuration, makes sure every server answers, and reads
 * what each says about itself. Failures are typed: a bad option {@link ConfigurationException}, a
 * server that cannot be reached {@link ConnectionException}, refused credentials
 * {@link AuthenticationException} (not retryable).
 */
final class MemcachedConnector {
    static final int DEFAULT_PORT = 11211;
    /** How often xmemcached tries to reconnect to a server it lost. */
    static final long HEAL_INTERVAL_MS = 200;

    private MemcachedConnector() {
    }

    /** A connected client, the servers' facts, and where it is (for messages, without secrets). */
    record Connected(Store store, List<ServerFacts> servers, String where) {
    }

    static Connected connect(MessagingConfig config, MemcachedSettings settings, Keys keys) {
        MqUrl url = config.url();
        if (!url.isHierarchical()) {
            throw new ConfigurationException("a memcached URL names its servers: memcached://host:port[,host:port...]");
        }
        if (!url.path().isEmpty()) {
            throw new ConfigurationException("a memcached URL has no path, not '/" + url.path() + "': memcached://host:port[,host:port...]");
        }
        Map<String, String> natives = config.withPrefix(XMemcachedOptions.PREFIX);
        XMemcachedOptions.check(natives);
        List<InetSocketAddress> addresses = new ArrayList<>();
        List<MqUrl.HostPort> hosts = url.requireHosts(DEFAULT_PORT);
        for (MqUrl.HostPort hp : hosts) {
            addresses.add(InetSocketAddress.createUnresolved(hp.host(), hp.portOr(DEFAULT_PORT)));
        }
        String where = Redaction.url(url.toString());
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            InetSocketAddress r = new InetSocketAddress(a.getHostString(), a.getPort());
            if (r.isUnresolved()) {
                throw new ConnectionException("cannot resolve memcached host '" + a.getHostString() + "' of " + where, null);
            }
            resolved.add(r);
        }
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(resolved);
        builder.setConnectTimeout(settings.connectTimeout().toMillis());
        builder.setOpTimeout(settings.commandTimeout().toMillis());
        builder.setSessionLocator(new TopicLocator(keys));
        builder.setTranscoder(ClientTranscoder.INSTANCE);
        builder.setSanitizeKeys(false);
        // xmemcached finds a server's credentials by the address as given: a resolved name would not match
        builder.setResolveInetAddresses(false);
        // reconnect soon after a server comes back (xmemcached's default waits 2 s between attempts)
        builder.setHealSessionInterval(HEAL_INTERVAL_MS);
        kernelSizedSocketBuffers(builder);
        if (settings.binary()) {
            builder.setCommandFactory(new BinaryCommandFactory());
        }
        boolean credentials = url.user() != null;
        if (credentials) {
            for (InetSocketAddress r : resolved) {
                SaslLogin.check(r, url.user(), url.password() == null ? "" : url.password(), (int) settings.connectTimeout().toMillis(), where);
                builder.addAuthInfo(r, AuthInfo.plain(url.user(), url.password() == null ? "" : url.password()));
            }
        }
        XMemcachedOptions.apply(natives, builder);
        MemcachedClient client;
        try {
            client = builder.build();
        } catch (IOException e) {
            throw new ConnectionException("cannot connect to memcached at " + where + ": " + e.getMessage(), e);
        }
        try {
            Collection<InetSocketAddress> up = client.getAvailableServers();
            List<String> down = new ArrayList<>();
            for (InetSocketAddress r : resolved) {
                if (up.stream().noneMatch(u -> u.getPort() == r.getPort() && u.getAddress() != null && u.getAddress().equals(r.getAddress()))) {
                    down.add(r.getHostString() + ":" + r.getPort());
                }
            }
            if (!down.isEmpty() && credentials && reachable(resolved, up, settings)) {
                throw new AuthenticationException("memcached at " + where + " refused the credentials of user '" + url.user()
                        + "' (SASL PLAIN): it closed the connection after authentication", null);
            }
            if (!down.isEmpty()) {
                throw new ConnectionException("cannot connect to memcached at " + String.join(", ", down) + " (of " + where
                        + ") within " + settings.connectTimeout().toMillis() + " ms", null);
            }
            Store store = new Store(client, where, settings.commandTimeout().toNanos());
            List<ServerFacts> facts = facts(store, credentials, where, settings.connectTimeout().toMillis());
            return new Connected(store, facts, where);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /** Whether every server xmemcached has no session with accepts a TCP connection (then it refused the login). */
    private static boolean reachable(List<InetSocketAddress> servers, Collection<InetSocketAddress> up, MemcachedSettings settings) {
        for (InetSocketAddress r : servers) {
            if (up.stream().anyMatch(u -> u.getPort() == r.getPort() && r.getAddress().equals(u.getAddress()))) {
                continue;
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(r, (int) settings.connectTimeout().toMillis());
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static List<ServerFacts> facts(Store store, boolean credentials, String where, long timeoutMs) {
        Map<InetSocketAddress, Map<String, String>> stats;
        Map<InetSocketAddress, Map<String, String>> settings;
        try {
            stats = store.call("stats", () -> store.client().getStats(timeoutMs));
            settings = store.call("stats settings", () -> store.client().getStatsByItem("settings", timeoutMs));
        } catch (io.anymq.MessagingTimeoutException e) {
            throw new ConnectionException("memcached at " + where + " accepted the connection but answered no 'stats' within "
                    + timeoutMs + " ms" + (credentials ? "" : "; a server with SASL (-S) answers only clients that log in: "
                    + "give user:password in the URL"), e);
        }
        if (stats.isEmpty() || stats.values().stream().anyMatch(Map::isEmpty)) {
            throw new ConnectionException("memcached at " + where + " answers no 'stats'" + (credentials ? "" : " (a server with SASL "
                    + "(-S) answers only clients that log in: give user:password in the URL)"), null);
        }
        List<ServerFacts> out = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Map<String, String>> e : stats.entrySet()) {
            out.add(ServerFacts.of(e.getKey(), e.getValue(), settings.getOrDefault(e.getKey(), Map.of())));
        }
        return out;
    }

    static void shutdown(MemcachedClient client) {
        try {
            client.shutdown();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    /**
     * Leaves the socket buffers to the kernel (Linux sizes them to the traffic). xmemcached fixes them at 32 KiB to send
     * and 64 KiB to receive, and a command larger than about 64 KiB (a 64 KiB message and its envelope) then leaves the
     * socket in two writes whose second waits for the server's delayed acknowledgement: every such send took 44 ms
     * (28-30 messages per second at 65,400 bytes; 3,550 without the fixed buffers: docs/performance.md).
     */
    static void kernelSizedSocketBuffers(XMemcachedClientBuilder builder) {
        builder.getSocketOptions().remove(StandardSocketOption.SO_SNDBUF);
        builder.getSocketOptions().remove(StandardSocketOption.SO_RCVBUF);
    }
}
