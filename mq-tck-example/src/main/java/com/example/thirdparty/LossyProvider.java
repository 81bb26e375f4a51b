package com.example.thirdparty;

import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.MessagingConfig;
import io.anymq.ProducerOptions;
import io.anymq.ProviderInfo;
import io.anymq.Receipt;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.MessagingProvider;
import io.anymq.spi.ProducerDriver;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broken provider, to show that the suite catches one: {@code lossy:NAME} declares what {@code mem:}
 * declares, but every seventh send goes to another topic while its receipt says it was stored.
 */
public final class LossyProvider implements MessagingProvider {

    @Override
    public String name() {
        return "lossy";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("lossy");
    }

    @Override
    public String description() {
        return "example of a broken provider: loses every seventh message";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of();
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        ClientDriver mem = ThirdPartyProvider.memProvider().connect(MessagingConfig.of("mem:lossy-" + config.url().path()));
        return new ClientDriver() {
            @Override
            public io.anymq.Capabilities capabilities() {
                // what it wraps, less the transactions it does not pass on (its point is the lost sends)
                java.util.Set<io.anymq.Capability> declared = java.util.EnumSet.copyOf(mem.capabilities().declared());
                declared.remove(io.anymq.Capability.TRANSACTIONS);
                declared.remove(io.anymq.Capability.TRANSACTIONAL_ACK);
                return new io.anymq.Capabilities(declared, mem.capabilities().maxPayloadBytes());
            }

            @Override
            public ProducerDriver createProducer(ProducerOptions options) {
                ProducerDriver real = mem.createProducer(options);
                ProducerDriver lost = mem.createProducer(ProducerOptions.builder("lost-" + options.topic()).build());
                AtomicLong sends = new AtomicLong();
                return new ProducerDriver() {
                    @Override
                    public CompletableFuture<Receipt> send(Message message) {
                        return (sends.incrementAndGet() % 7 == 0 ? lost : real).send(message);
                    }

                    @Override
                    public void close() {
                        real.close();
                        lost.close();
                    }
                };
            }

            @Override
            public ConsumerDriver createConsumer(ConsumerOptions options) {
                return mem.createConsumer(options);
            }

            @Override
            public void close() {
                mem.close();
            }
        };
    }
}
