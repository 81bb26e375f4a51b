package io.anymq.redis;

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
 * Redis through lettuce: {@code redis://[user:pass@]host:6379[/db]} and {@code rediss://} for TLS;
 * {@code redis-cluster://h1:p1,h2:p2} and {@code rediss-cluster://} for a Redis Cluster.
 * Mode {@code stream} (the default): Redis Streams with consumer groups; {@code list}: a reliable queue on
 * Lists; {@code zset}: a delay queue on Sorted Sets. The modes' listings assume a server with AOF and
 * {@code appendfsync always} (PERSISTENCE); a connected client declares PERSISTENCE only when its server does, and
 * TRANSACTIONS and TRANSACTIONAL_ACK only on a standalone server.
 */
public final class RedisProvider implements MessagingProvider {
    /** Streams mode, before the server's persistence settings are known. */
    static final Set<Capability> STREAM = Set.of(Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.NATIVE_HEADERS, Capability.BINARY_DATA, Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);
    /** List mode, before the server's persistence settings are known. */
    static final Set<Capability> LIST = Set.of(Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.BATCH_SEND, Capability.TOPIC_DELETION);
    /** Sorted Set mode, before the server's persistence settings are known: the list mode's, and delayed delivery. */
    static final Set<Capability> ZSET = Set.of(Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.BATCH_SEND, Capability.DELAYED_DELIVERY, Capability.TOPIC_DELETION);

    /**
     * What a mode offers; PERSISTENCE is added when the server runs AOF with appendfsync always. Transactions
     * (one Lua script for the whole commit) only on a standalone server: in a Cluster the keys of one
     * transaction lie in different hash slots in general, and no script spans slots.
     */
    static Set<Capability> capabilities(RedisMode mode, boolean persistent, boolean cluster) {
        EnumSet<Capability> caps = EnumSet.copyOf(switch (mode) {
            case STREAM -> STREAM;
            case LIST -> LIST;
            case ZSET -> ZSET;
        });
        if (persistent) {
            caps.add(Capability.PERSISTENCE);
        }
        if (!cluster) {
            caps.add(Capability.TRANSACTIONS);
            caps.add(Capability.TRANSACTIONAL_ACK);
        }
        return caps;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    }

    @Override
    public String description() {
        return "Redis (lettuce), standalone or Cluster: Streams with consumer groups, a reliable List queue, a Sorted Set delay queue; "
                + "PERSISTENCE when the server runs AOF with appendfsync always; transactions (one script per commit) on a standalone server";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return java.util.Arrays.stream(RedisMode.values())
                .map(m -> new ProviderInfo.Mode(m.option(), "redis://127.0.0.1:6379?mode=" + m.option(),
                        new Capabilities(capabilities(m, true, false), RedisSettings.DEFAULT_MAX_PAYLOAD)))
                .toList();
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return RedisSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        RedisSettings settings = RedisSettings.from(config);
        return new RedisClientDriver(settings, RedisConnections.connect(config, settings),
                "Redis at " + io.anymq.Redaction.url(config.url().toString()));
    }
}
