package io.anymq.benchmarks;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.MessagingConfig;
import io.anymq.ProducerOptions;
import io.anymq.ProviderInfo;
import io.anymq.Receipt;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.MessagingProvider;
import io.anymq.spi.ProducerDriver;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A driver that does nothing, so that a benchmark measures the portable core alone: {@code noop:}.
 * Sends complete at once; every poll returns {@code max} deliveries of one prepared message.
 */
public final class NoopProvider implements MessagingProvider {
    static final Capabilities CAPABILITIES = Capabilities.of(Integer.MAX_VALUE, Capability.AT_LEAST_ONCE,
            Capability.NACK_REDELIVERY, Capability.DELIVERY_COUNT, Capability.ACK_TIMEOUT, Capability.BATCH_SEND);
    private static final Receipt RECEIPT = new Receipt("noop", "id", Instant.EPOCH, "");
    private static final CompletableFuture<Receipt> SENT = CompletableFuture.completedFuture(RECEIPT);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("noop");
    }

    @Override
    public String description() {
        return "does nothing; for benchmarks of the portable core";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(new ProviderInfo.Mode("default", "noop:", CAPABILITIES));
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        return new ClientDriver() {
            @Override
            public Capabilities capabilities() {
                return CAPABILITIES;
            }

            @Override
            public ProducerDriver createProducer(ProducerOptions options) {
                return new ProducerDriver() {
                    @Override
                    public CompletableFuture<Receipt> send(Message message) {
                        return SENT;
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public ConsumerDriver createConsumer(ConsumerOptions options) {
                return new NoopConsumerDriver();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Hands out deliveries of one message as fast as asked. */
    static final class NoopConsumerDriver implements ConsumerDriver {
        private final Message message = Message.builder().payload(new byte[100]).id("bench").timestamp(Instant.EPOCH).build();

        @Override
        public List<DriverDelivery> poll(int max, Duration timeout) {
            List<DriverDelivery> out = new ArrayList<>(max);
            for (int i = 0; i < max; i++) {
                out.add(new NoopDelivery(message));
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    record NoopDelivery(Message message) implements DriverDelivery {
        @Override
        public int deliveryCount() {
            return 1;
        }

        @Override
        public CompletableFuture<Void> ack() {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> reject() {
            return DONE;
        }
    }
}
