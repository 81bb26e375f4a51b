package io.anymq.pulsar;

import io.anymq.AckTimeoutRedelivery;
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
 * Apache Pulsar through pulsar-client: {@code pulsar://host:6650[,host:port...][?options]} and
 * {@code pulsar+ssl://host:6651}. A group is a durable subscription; the mode chooses its type:
 * {@code shared} (the default), {@code key_shared} or {@code failover}. Each mode declares what its
 * subscription type really gives (see the module README).
 */
public final class PulsarProvider implements MessagingProvider {
    /**
     * What every mode gives: durable topics and subscriptions, replay, properties as headers, batching producers, binary keys
     * (and binary header values in base64, see {@code PulsarMessages}).
     */
    private static final Set<Capability> COMMON = Set.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.ACK_TIMEOUT, Capability.DEAD_LETTER, Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.NATIVE_HEADERS,
            Capability.BATCH_SEND, Capability.BINARY_DATA);

    /** Shared and Key_Shared: per-message redelivery with the broker-kept delay and the stored count, delayed delivery. */
    private static final Set<Capability> REDELIVERING = Set.of(Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY,
            Capability.DELIVERY_COUNT, Capability.DELAYED_DELIVERY);

    static Capabilities capabilities(PulsarSettings.Mode mode, int partitions, long maxPayload) {
        return capabilities(mode, partitions, maxPayload, false);
    }

    static Capabilities capabilities(PulsarSettings.Mode mode, int partitions, long maxPayload, boolean transactions) {
        EnumSet<Capability> set = EnumSet.copyOf(COMMON);
        if (transactions) {
            set.add(Capability.TRANSACTIONS);
            set.add(Capability.TRANSACTIONAL_ACK);
        }
        switch (mode) {
            case SHARED -> set.addAll(REDELIVERING);
            case KEY_SHARED -> {
                set.addAll(REDELIVERING);
                set.add(Capability.KEY_ORDERING);
            }
            case FAILOVER -> {
                set.add(Capability.KEY_ORDERING);
                if (partitions > 1) {
                    set.add(Capability.COMPETING_CONSUMERS); // one active member per partition
                }
            }
        }
        // the ack timeout is tracked by the holder's client, which gives the message back to the subscription
        return new Capabilities(set, maxPayload).withAckTimeoutRedelivery(AckTimeoutRedelivery.MAY_WAIT_FOR_HOLDER);
    }

    @Override
    public String name() {
        return "pulsar";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("pulsar", "pulsar+ssl");
    }

    @Override
    public String description() {
        return "Apache Pulsar (pulsar-client): groups are durable subscriptions, mode=shared (the default), key_shared or failover";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        long max = PulsarSettings.DEFAULT_MAX_PAYLOAD;
        return List.of(
                new ProviderInfo.Mode("shared", "pulsar://127.0.0.1:6650", capabilities(PulsarSettings.Mode.SHARED, 0, max)),
                new ProviderInfo.Mode("key_shared", "pulsar://127.0.0.1:6650?mode=key_shared",
                        capabilities(PulsarSettings.Mode.KEY_SHARED, 0, max)),
                new ProviderInfo.Mode("failover", "pulsar://127.0.0.1:6650?mode=failover&partitions=4&admin-url=http://127.0.0.1:8080",
                        capabilities(PulsarSettings.Mode.FAILOVER, 4, max)));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return PulsarSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        PulsarSettings settings = PulsarSettings.from(config);
        return new PulsarClientDriver(settings, PulsarConnections.connect(settings));
    }
}
