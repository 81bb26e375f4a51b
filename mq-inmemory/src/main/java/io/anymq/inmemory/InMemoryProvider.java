package io.anymq.inmemory;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConfigOptions;
import io.anymq.spi.MessagingProvider;

import java.util.List;
import java.util.Set;

/**
 * The embedded default backend, {@code mem:}. Needs no broker: topics live in this JVM, shared by
 * every client that names the same broker ({@code mem:} is the broker "default", {@code mem:name}
 * or {@code mem://name} another one).
 */
public final class InMemoryProvider implements MessagingProvider {

    static Capabilities capabilities(long maxPayload) {
        return Capabilities.of(maxPayload,
                Capability.AT_LEAST_ONCE,
                Capability.FANOUT_GROUPS,
                Capability.COMPETING_CONSUMERS,
                Capability.KEY_ORDERING,
                Capability.NACK_REDELIVERY,
                Capability.ACK_TIMEOUT,
                Capability.DELIVERY_COUNT,
                Capability.DELAYED_DELIVERY,
                Capability.DEAD_LETTER,
                Capability.REPLAY_FROM_EARLIEST,
                Capability.START_AT_TIME,
                Capability.NATIVE_HEADERS,
                Capability.BATCH_SEND,
                Capability.TRANSACTIONS,
                Capability.TRANSACTIONAL_ACK,
                Capability.BINARY_DATA,
                Capability.NULL_HEADER_VALUES,
                Capability.REPEATED_HEADERS, Capability.TOPIC_DELETION);
    }

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mem");
    }

    @Override
    public String description() {
        return "in-memory broker inside this JVM; no persistence";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(new ProviderInfo.Mode("default", "mem:", capabilities(InMemorySettings.DEFAULT_MAX_PAYLOAD)));
    }

    @Override
    public ConfigOptions configOptions() {
        return InMemorySettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        String name = brokerName(config);
        InMemoryBroker broker = InMemoryBroker.named(name, InMemorySettings.from(config), config);
        // the broker's settings, which may be another client's: what this client declares is what the broker takes
        return new InMemoryClientDriver(broker, capabilities(broker.settings().maxPayloadBytes()), name);
    }

    private static String brokerName(MessagingConfig config) {
        String path = config.url().path();
        if (config.url().isHierarchical() && !config.url().hosts().isEmpty()) {
            path = config.url().hosts().get(0).host() + (path.isEmpty() ? "" : "/" + path);
        }
        return path.isEmpty() ? InMemoryBroker.DEFAULT_NAME : path;
    }
}
