package io.anymq.nats;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.MessagingProvider;

import java.util.List;
import java.util.Set;

/**
 * NATS through jnats: {@code nats://host:4222} is core NATS (at-most-once, queue groups);
 * {@code nats://host:4222?jetstream=true} is JetStream (at-least-once, streams and durable pull
 * consumers). {@code nats+tls://} is the same with TLS. The generic {@code tls://} (which named no
 * broker) is refused with a message that names {@code nats+tls://}.
 */
public final class NatsProvider implements MessagingProvider {
    /** What core NATS gives: subjects, queue groups, native headers. At-most-once. */
    static final Set<Capability> CORE = Set.of(Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS, Capability.NATIVE_HEADERS,
            Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);

    /** What JetStream gives on nats-server 2.10 (no delayed delivery, no per-key ordering). */
    static final Set<Capability> JETSTREAM = Set.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT,
            Capability.DEAD_LETTER, Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.NATIVE_HEADERS, Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("nats", "nats+tls", "tls");
    }

    @Override
    public String description() {
        return "NATS (jnats): core NATS at-most-once, or JetStream at-least-once with ?jetstream=true";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        long defaultMax = NatsSettings.DEFAULT_SERVER_MAX_PAYLOAD - NatsSettings.HEADER_ROOM;
        return List.of(
                new ProviderInfo.Mode("core", "nats://127.0.0.1:4222", new Capabilities(CORE, defaultMax)),
                new ProviderInfo.Mode("jetstream", "nats://127.0.0.1:4222?jetstream=true", new Capabilities(JETSTREAM, defaultMax)));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return NatsSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        if (config.scheme().equals("tls")) {
            throw new io.anymq.ConfigurationException("the scheme tls:// names no broker and is no longer accepted; "
                    + "for NATS with TLS use nats+tls://HOST:4222 (or nats://HOST:4222?tls=true)");
        }
        NatsSettings settings = NatsSettings.from(config);
        io.anymq.spi.ConnectionState state = new io.anymq.spi.ConnectionState(NatsConnections.describe(config));
        return new NatsClientDriver(settings, NatsConnections.connect(config, settings, state), state);
    }
}
