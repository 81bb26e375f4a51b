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
 * Redis through lettuce: {@code redis://[user:pass@]host:6379[/db]} and {@code rediss://} for TLS.
 * Mode {@code stream} (the default): Redis Streams with consumer groups.
 */
public final class RedisProvider implements MessagingProvider {
    /** Streams mode, before the server's persistence settings are known. */
    static final Set<Capability> STREAM = Set.of(Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.REPLAY_FROM_EARLIEST, Capability.NATIVE_HEADERS);

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public String description() {
        return "Redis (lettuce): Streams with consumer groups; PERSISTENCE when the server runs AOF with appendfsync always";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        EnumSet<Capability> withAof = EnumSet.copyOf(STREAM);
        withAof.add(Capability.PERSISTENCE);
        return List.of(new ProviderInfo.Mode("stream", "redis://127.0.0.1:6379?mode=stream",
                new Capabilities(withAof, RedisSettings.DEFAULT_MAX_PAYLOAD)));
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        RedisSettings settings = RedisSettings.from(config);
        return new RedisClientDriver(settings, RedisConnections.connect(config, settings));
    }
}
