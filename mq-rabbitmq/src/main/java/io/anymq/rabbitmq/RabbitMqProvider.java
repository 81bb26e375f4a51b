package io.anymq.rabbitmq;

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
 * RabbitMQ through amqp-client (AMQP 0-9-1): {@code amqp://user:pass@host:5672/vhost} and
 * {@code amqps://} for TLS. A topic is a durable fanout exchange, a group a durable queue bound to
 * it: quorum queues by default ({@code queue-type=quorum}), classic queues with
 * {@code queue-type=classic}.
 */
public final class RabbitMqProvider implements MessagingProvider {
    /** Classic durable queues: no delivery count (RabbitMQ only flags a redelivery). */
    static final Set<Capability> CLASSIC = Set.copyOf(EnumSet.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELAYED_DELIVERY,
            Capability.DEAD_LETTER, Capability.NATIVE_HEADERS, Capability.BINARY_DATA, Capability.NULL_HEADER_VALUES));
    /** Quorum queues add the delivery count ({@code x-delivery-count}) and the delivery limit. */
    static final Set<Capability> QUORUM;

    static {
        EnumSet<Capability> q = EnumSet.copyOf(CLASSIC);
        q.add(Capability.DELIVERY_COUNT);
        QUORUM = Set.copyOf(q);
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("amqp", "amqps");
    }

    @Override
    public String description() {
        return "RabbitMQ (amqp-client, AMQP 0-9-1): topic = fanout exchange, group = quorum (or classic) queue, publisher confirms";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(
                new ProviderInfo.Mode("quorum", "amqp://guest:guest@127.0.0.1:5672/", new Capabilities(QUORUM, RabbitMqSettings.DEFAULT_MAX_PAYLOAD)),
                new ProviderInfo.Mode("classic", "amqp://guest:guest@127.0.0.1:5672/?queue-type=classic",
                        new Capabilities(CLASSIC, RabbitMqSettings.DEFAULT_MAX_PAYLOAD)));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return RabbitMqSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        RabbitMqSettings settings = RabbitMqSettings.from(config);
        return new RabbitMqClientDriver(settings, RabbitMqConnections.connect(config, settings));
    }
}
