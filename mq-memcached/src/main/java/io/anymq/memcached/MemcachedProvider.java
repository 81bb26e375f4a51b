package io.anymq.memcached;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.MessagingProvider;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Memcached through xmemcached: {@code memcached://[user:password@]host:port[,host:port...]}. A topic is a
 * numbered log of items; groups keep their own head and take numbers with {@code incr}, each delivery
 * is a lease made with {@code add} and changed with {@code cas}. AT_LEAST_ONCE is declared only when
 * no server may evict ({@code memcached -M}); PERSISTENCE never: memcached keeps nothing across a restart.
 */
public final class MemcachedProvider implements MessagingProvider {
    /** What the module implements on any server. */
    static final Set<Capability> MECHANISMS = Set.of(Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.DELAYED_DELIVERY);
    /** Room left in an item for the envelope's fields and the key, beside the payload. */
    static final long ENVELOPE_ROOM = 8 * 1024;

    /** The module's capabilities against servers that may evict or not. */
    static Set<Capability> capabilities(boolean anyServerEvicts) {
        EnumSet<Capability> caps = EnumSet.copyOf(MECHANISMS);
        if (!anyServerEvicts) {
            caps.add(Capability.AT_LEAST_ONCE);
        }
        return caps;
    }

    @Override
    public String name() {
        return "memcached";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memcached");
    }

    @Override
    public String description() {
        return "Memcached (xmemcached): a numbered log with leases per group; AT_LEAST_ONCE only against servers that "
                + "cannot evict (memcached -M), within the servers' life; never PERSISTENCE";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(
                new ProviderInfo.Mode("no-eviction", "memcached://127.0.0.1:11211 (server started with -M)",
                        new Capabilities(capabilities(false), 1024 * 1024 - ENVELOPE_ROOM)),
                new ProviderInfo.Mode("evicting", "memcached://127.0.0.1:11211 (server without -M)",
                        new Capabilities(capabilities(true), 1024 * 1024 - ENVELOPE_ROOM)));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return MemcachedSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        MemcachedSettings settings = MemcachedSettings.from(config);
        Keys keys = new Keys(settings.keyPrefix());
        return new MemcachedClientDriver(settings, keys, MemcachedConnector.connect(config, settings, keys));
    }
}
