package io.anymq.memcached;

import io.anymq.Capabilities;
import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import net.rubyeye.xmemcached.MemcachedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One xmemcached client for all producers and consumers of a connection. Capabilities follow from what
 * the servers say: AT_LEAST_ONCE only when none may evict; the payload limit from their item size.
 */
final class MemcachedClientDriver implements ClientDriver {
    private static final Logger LOG = LoggerFactory.getLogger(MemcachedClientDriver.class);

    private final MemcachedSettings settings;
    private final Keys keys;
    private final Store store;
    private final ServerWatch watch;
    private final Capabilities capabilities;
    private final long itemLimit;
    private final io.anymq.spi.ConnectionState state;
    /** Every server of the URL, as xmemcached names them. */
    private final java.util.Set<java.net.InetSocketAddress> servers;

    MemcachedClientDriver(MemcachedSettings settings, Keys keys, MemcachedConnector.Connected connected) {
        this.settings = settings;
        this.keys = keys;
        this.store = connected.store();
        java.util.List<String> evicting = connected.servers().stream().filter(ServerFacts::evicts)
                .map(f -> f.address().getHostString() + ":" + f.address().getPort()).toList();
        if (!evicting.isEmpty()) {
            String text = "memcached at " + String.join(", ", evicting) + " may evict items when its memory is full (it runs without -M): "
                    + "any message may be lost silently, so this connection is AT_MOST_ONCE";
            if (settings.eviction() == MemcachedSettings.Eviction.REFUSE) {
                store.close();
                MemcachedConnector.shutdown(store.client());
                throw new ConfigurationException(text + "; refused (option eviction=refuse). Start memcached with -M");
            }
            LOG.warn("{}; start memcached with -M for AT_LEAST_ONCE, or set eviction=refuse to refuse such servers", text);
        }
        this.itemLimit = connected.servers().stream().mapToLong(ServerFacts::itemSizeMax).min().orElse(1024 * 1024);
        this.capabilities = new Capabilities(MemcachedProvider.capabilities(!evicting.isEmpty()),
                Math.max(1, itemLimit - MemcachedProvider.ENVELOPE_ROOM));
        this.watch = new ServerWatch(store, connected.servers());
        this.servers = connected.servers().stream().map(ServerFacts::address).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.state = new io.anymq.spi.ConnectionState("memcached at " + connected.where());
        state.probeWith(this::probe, java.time.Duration.ofMillis(200));
        store.client().addStateListener(new net.rubyeye.xmemcached.MemcachedClientStateListener() {
            @Override
            public void onStarted(net.rubyeye.xmemcached.MemcachedClient client) {
                // started before this listener was added
            }

            @Override
            public void onShutDown(net.rubyeye.xmemcached.MemcachedClient client) {
                // the client closed: the core reports CLOSED
            }

            @Override
            public void onConnected(net.rubyeye.xmemcached.MemcachedClient client, java.net.InetSocketAddress address) {
                probe();
            }

            @Override
            public void onDisconnected(net.rubyeye.xmemcached.MemcachedClient client, java.net.InetSocketAddress address) {
                probe();
            }

            @Override
            public void onException(net.rubyeye.xmemcached.MemcachedClient client, Throwable error) {
                // a failed command: its caller has the error
            }
        });
    }

    /**
     * Which servers xmemcached has a session with now (local state): all of them is CONNECTED; any
     * missing is RECONNECTING, naming them (xmemcached heals lost sessions every
     * {@value MemcachedConnector#HEAL_INTERVAL_MS} ms), since topics on a missing server cannot be used.
     */
    private void probe() {
        java.util.Set<String> up = new java.util.HashSet<>();
        for (java.net.InetSocketAddress a : store.client().getAvailableServers()) {
            up.add(a.getPort() + "@" + a.getAddress());
        }
        java.util.List<String> missing = servers.stream().filter(a -> !up.contains(a.getPort() + "@" + a.getAddress()))
                .map(a -> a.getHostString() + ":" + a.getPort()).sorted().toList();
        if (missing.isEmpty()) {
            state.connected();
        } else {
            state.reconnecting("no session with " + String.join(", ", missing) + " (" + missing.size() + " of " + servers.size()
                    + " servers); xmemcached reconnects every " + MemcachedConnector.HEAL_INTERVAL_MS + " ms");
        }
    }

    @Override
    public io.anymq.spi.ConnectionState connectionState() {
        return state;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        return new LogProducer(store, keys, options.topic(), settings.expirySeconds(), itemLimit);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        return new GroupConsumer(store, keys, options, settings, watch);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(store.client())) {
            return type.cast(store.client());
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        store.close();
        MemcachedConnector.shutdown(store.client());
    }

    @Override
    public String toString() {
        return "MemcachedClientDriver{" + capabilities + "}";
    }
}
