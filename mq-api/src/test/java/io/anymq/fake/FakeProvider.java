package io.anymq.fake;

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
 * A test-only provider for {@code fake:NAME[?without=CAP,CAP]}: a scripted driver whose broker
 * ({@link FakeBroker#named}) records every driver call, so the core's bookkeeping can be checked
 * exactly. Maximum payload 1,024 bytes.
 */
public final class FakeProvider implements MessagingProvider {
    public static final int MAX_PAYLOAD = 1024;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("fake");
    }

    @Override
    public String description() {
        return "scripted test driver";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(new ProviderInfo.Mode("default", "fake:x", all(Set.of())));
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        Set<Capability> without = EnumSet.noneOf(Capability.class);
        for (String name : config.get("without", "").split(",")) {
            if (!name.isBlank()) {
                without.add(Capability.valueOf(name.trim()));
            }
        }
        Capabilities caps = all(without).withMinimumAckTimeout(config.getDuration("min-ack-timeout", java.time.Duration.ZERO))
                .withMaximumNackDelay(config.getDuration("max-nack-delay", io.anymq.Delivery.MAX_NACK_DELAY));
        return new FakeClientDriver(FakeBroker.named(config.url().path()), caps, !config.getBoolean("unobserved", false));
    }

    private static Capabilities all(Set<Capability> without) {
        EnumSet<Capability> caps = EnumSet.allOf(Capability.class);
        caps.removeAll(without);
        return new Capabilities(caps, MAX_PAYLOAD);
    }
}
