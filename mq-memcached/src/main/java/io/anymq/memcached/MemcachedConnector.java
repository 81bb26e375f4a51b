package io.anymq.memcached;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MessagingException;
import io.anymq.MqUrl;
import io.anymq.Redaction;
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
        List<MqUrl.HostPort> hosts = url.hosts().isEmpty() ? List.of(new MqUrl.HostPort("127.0.0.1", -1)) : url.hosts();
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
        if (settings.binary()) {
            builder.setCommandFactory(new BinaryCommandFactory());
        }
        boolean credentials = url.user() != null;
        if (credentials) {
            for (InetSocketAddress r : resolved) {
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
            if (!down.isEmpty()) {
                throw new ConnectionException("cannot connect to memcached at " + String.join(", ", down) + " (of " + where
                        + ") within " + settings.connectTimeout().toMillis() + " ms", null);
            }
            Store store = new Store(client, where);
            List<ServerFacts> facts = facts(store, credentials, where);
            return new Connected(store, facts, where);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    private static List<ServerFacts> facts(Store store, boolean credentials, String where) {
        Map<InetSocketAddress, Map<String, String>> stats;
        Map<InetSocketAddress, Map<String, String>> settings;
        try {
            stats = store.call("stats", () -> store.client().getStats());
            settings = store.call("stats settings", () -> store.client().getStatsByItem("settings"));
        } catch (MessagingException e) {
            if (credentials) {
                throw new AuthenticationException("memcached at " + where + " did not accept the credentials (SASL PLAIN): "
                        + e.getMessage(), e);
            }
            throw e;
        }
        if (stats.isEmpty() || stats.values().stream().anyMatch(Map::isEmpty)) {
            if (credentials) {
                throw new AuthenticationException("memcached at " + where + " did not accept the credentials (SASL PLAIN): "
                        + "it answers no command", null);
            }
            throw new ConnectionException("memcached at " + where + " answers no 'stats'", null);
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
}
