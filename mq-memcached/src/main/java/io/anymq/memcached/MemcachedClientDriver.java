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
