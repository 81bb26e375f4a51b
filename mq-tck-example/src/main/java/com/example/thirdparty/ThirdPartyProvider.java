package com.example.thirdparty;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.MessagingConfig;
import io.anymq.ProducerOptions;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.MessagingProvider;
import io.anymq.spi.ProducerDriver;

import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A provider as a third party would write one, here wrapping anymq's {@code mem:} broker:
 * {@code thirdparty:NAME}. It does not offer delayed delivery (it declares everything {@code mem:} does
 * but {@link Capability#DELAYED_DELIVERY}), so the suite checks that asking for it is refused.
 */
public final class ThirdPartyProvider implements MessagingProvider {

    @Override
    public String name() {
        return "thirdparty";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("thirdparty");
    }

    @Override
    public String description() {
        return "example third-party provider (mem: without delayed delivery)";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of();
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        ClientDriver mem = memProvider().connect(MessagingConfig.of("mem:thirdparty-" + config.url().path()));
        return new ClientDriver() {
            @Override
            public Capabilities capabilities() {
                Set<Capability> declared = EnumSet.copyOf(mem.capabilities().declared());
                declared.remove(Capability.DELAYED_DELIVERY);
                return new Capabilities(declared, mem.capabilities().maxPayloadBytes());
            }

            @Override
            public ProducerDriver createProducer(ProducerOptions options) {
                return mem.createProducer(options);
            }

            @Override
            public ConsumerDriver createConsumer(ConsumerOptions options) {
                return mem.createConsumer(options);
            }

            @Override
            public java.util.concurrent.CompletableFuture<java.util.List<io.anymq.Receipt>> commit(io.anymq.spi.TransactionWork work) {
                return mem.commit(work);
            }

            @Override
            public void close() {
                mem.close();
            }
        };
    }

    static MessagingProvider memProvider() {
        return ServiceLoader.load(MessagingProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("mem")).findFirst()
                .orElseThrow(() -> new ConfigurationException("the mem: provider (mq-inmemory) is not on the class path"));
    }
}
