package io.anymq.bridge;

import io.anymq.Capabilities;
import io.anymq.ConnectionException;
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
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test backend, {@code flaky:NAME}: the in-memory broker {@code mem:NAME} behind a producer that
 * fails sends on demand (a retryable {@link ConnectionException}, the message not stored) and stores
 * each message after a random delay, so that a bridge that sent two messages of a key at once would
 * see them stored out of order. Its consumers deliver in order without locking keys (as Kafka's
 * partitions do): keeping a key's order while several are out is then the bridge's own work.
 */
public final class FlakyProvider implements MessagingProvider {
    private static final Map<String, Control> CONTROLS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService DELAYS = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "flaky-delay");
        t.setDaemon(true);
        return t;
    });

    /** The switches of the broker of that name. */
    static Control control(String name) {
        return CONTROLS.computeIfAbsent(name, n -> new Control());
    }

    static final class Control {
        /** Every send fails (retryable), nothing is stored. */
        volatile boolean down;
        /** This share of sends fails (retryable), nothing is stored. */
        volatile double failRate;
        /** Each message is stored after a random delay of up to this many milliseconds. */
        volatile int maxDelayMillis;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
    }

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("flaky");
    }

    @Override
    public String description() {
        return "test only: mem: behind a producer that fails on demand";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of();
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        String name = config.url().path();
        MessagingProvider mem = ServiceLoader.load(MessagingProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("mem")).findFirst().orElseThrow();
        ClientDriver inner = mem.connect(MessagingConfig.of("mem:" + name));
        Control control = control(name);
        return new ClientDriver() {
            @Override
            public Capabilities capabilities() {
                // what it wraps, less the transactions it does not pass on
                java.util.Set<io.anymq.Capability> declared = java.util.EnumSet.copyOf(inner.capabilities().declared());
                declared.remove(io.anymq.Capability.TRANSACTIONS);
                declared.remove(io.anymq.Capability.TRANSACTIONAL_ACK);
                return new Capabilities(declared, inner.capabilities().maxPayloadBytes());
            }

            @Override
            public ProducerDriver createProducer(ProducerOptions options) {
                return new FlakyProducer(inner.createProducer(options), control);
            }

            @Override
            public ConsumerDriver createConsumer(ConsumerOptions o) {
                // like Kafka: per-key order is the order of delivery; keys are not locked while a message is out
                return inner.createConsumer(o.toBuilder().keyOrdered(false).build());
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private record FlakyProducer(ProducerDriver inner, Control control) implements ProducerDriver {
        @Override
        public CompletableFuture<Receipt> send(Message message) {
            control.attempts.incrementAndGet();
            if (control.down || ThreadLocalRandom.current().nextDouble() < control.failRate) {
                control.failed.incrementAndGet();
                return CompletableFuture.failedFuture(new ConnectionException("flaky: the broker is away", null));
            }
            int max = control.maxDelayMillis;
            if (max <= 0) {
                return inner.send(message);
            }
            CompletableFuture<Receipt> f = new CompletableFuture<>();
            DELAYS.schedule(() -> {
                inner.send(message).whenComplete((r, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(r);
                    }
                });
            }, ThreadLocalRandom.current().nextInt(max + 1), TimeUnit.MILLISECONDS);
            return f;
        }

        @Override
        public boolean namesMessagesByPosition() {
            return inner.namesMessagesByPosition();
        }

        @Override
        public boolean timesMessagesByPosition() {
            return inner.timesMessagesByPosition();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
