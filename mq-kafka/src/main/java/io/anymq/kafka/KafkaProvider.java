package io.anymq.kafka;

import io.anymq.AckTimeoutRedelivery;
import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConfigOptions;
import io.anymq.spi.MessagingProvider;
import org.apache.kafka.clients.admin.Admin;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Apache Kafka through kafka-clients: {@code kafka://[user:pass@]host:9092[,host:port...][?options]}.
 * Mode {@code ordered} (the default) consumes with consumer groups; mode {@code shared} with share
 * groups (KIP-932). Each mode declares its own capabilities.
 */
public final class KafkaProvider implements MessagingProvider {
    /** Consumer groups: per-partition order and replay; the delivery count would not survive a crash, so it is not declared. */
    static final Set<Capability> ORDERED = Set.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.KEY_ORDERING, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT,
            Capability.DEAD_LETTER, Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.NATIVE_HEADERS, Capability.BATCH_SEND,
            Capability.BINARY_DATA, Capability.NULL_HEADER_VALUES, Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK, Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);

    /** Share groups: per-record settlement with the broker's delivery count and record locks; no order. */
    static final Set<Capability> SHARED = Set.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT,
            Capability.DEAD_LETTER, Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.NATIVE_HEADERS, Capability.BATCH_SEND,
            Capability.BINARY_DATA, Capability.NULL_HEADER_VALUES, Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);

    /**
     * The capabilities of a mode. A delivery held past its ack timeout may wait for its holder: in ordered
     * mode it comes again on the next receive of the member that owns its partition; in shared mode the
     * member thread that acquired it settles it, so it may come again to the same member.
     */
    static Capabilities capabilities(KafkaSettings.Mode mode, long maxPayload) {
        return new Capabilities(mode == KafkaSettings.Mode.SHARED ? SHARED : ORDERED, maxPayload)
                .withAckTimeoutRedelivery(AckTimeoutRedelivery.MAY_WAIT_FOR_HOLDER);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("kafka");
    }

    @Override
    public String description() {
        return "Apache Kafka (kafka-clients): mode=ordered on consumer groups (the default), mode=shared on share groups";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(
                new ProviderInfo.Mode("ordered", "kafka://127.0.0.1:9092", capabilities(KafkaSettings.Mode.ORDERED, KafkaSettings.DEFAULT_MAX_PAYLOAD)),
                new ProviderInfo.Mode("shared", "kafka://127.0.0.1:9092?mode=shared", capabilities(KafkaSettings.Mode.SHARED, KafkaSettings.DEFAULT_MAX_PAYLOAD)));
    }

    @Override
    public ConfigOptions configOptions() {
        return KafkaSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        KafkaSettings settings = KafkaSettings.from(config);
        Map<String, Object> common = KafkaConnections.common(config, settings);
        Admin admin = KafkaConnections.connect(config, settings, common);
        return new KafkaClientDriver(settings, common, admin, "Kafka at " + io.anymq.Redaction.url(config.url().toString()));
    }
}
