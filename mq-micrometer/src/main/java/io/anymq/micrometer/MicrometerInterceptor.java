package io.anymq.micrometer;

import io.anymq.MessagingInterceptor;
import io.anymq.Receipt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records Micrometer meters for every send, delivery and settlement of the clients it is installed
 * in, tagged by {@code backend} (the provider), {@code topic} and, on the consumer side, {@code group}.
 * The meters are listed in this module's README.
 *
 * <pre>{@code
 * MessagingClient client = Messaging.connect(MessagingConfig.builder().url("kafka://localhost:9092")
 *         .interceptor(MicrometerInterceptor.create(registry)).build());
 * }</pre>
 *
 * One instance may serve several clients. Meters are made on first use and kept: a topic or group
 * seen once stays in the registry (and holds its in-flight gauge) for the interceptor's life.
 */
public final class MicrometerInterceptor implements MessagingInterceptor {
    /** The prefix of every meter's name, {@value}. */
    public static final String PREFIX = "anymq.";
    /** How often the consumer lag gauge asks the broker at most, unless the builder says otherwise: 10 s. */
    public static final Duration DEFAULT_LAG_INTERVAL = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final Tags commonTags;
    private final double[] percentiles;
    private final boolean percentileHistogram;
    private final Duration[] slos;
    /** backend, then topic. */
    private final Map<String, Map<String, SendMeters>> senders = new ConcurrentHashMap<>();
    /** backend, then topic, then group. */
    private final Map<String, Map<String, Map<String, ReceiveMeters>>> receivers = new ConcurrentHashMap<>();
    /** By backend, topic, group. */
    private final Map<List<String>, LagGauge> lagGauges = new ConcurrentHashMap<>();
    private final long lagIntervalNanos;
    /** The meters of the last send (racy on purpose: any thread's last is a correct answer for its own backend and topic). */
    private volatile SendMeters lastSend;

    private MicrometerInterceptor(Builder b) {
        this.registry = b.registry;
        this.commonTags = b.tags;
        this.percentiles = b.percentiles;
        this.percentileHistogram = b.percentileHistogram;
        this.slos = b.slos;
        this.lagIntervalNanos = b.lagInterval.toNanos();
    }

    /**
     * An interceptor with the defaults: no extra tags, the send latency timer publishes no
     * percentiles and no histogram (a registry's own defaults still apply).
     *
     * @param registry where the meters go
     * @return the interceptor
     */
    public static MicrometerInterceptor create(MeterRegistry registry) {
        return builder(registry).build();
    }

    /**
     * A builder, for extra tags and the send latency timer's percentiles.
     *
     * @param registry where the meters go
     * @return the builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    // ---- sends ----

    @Override
    public void beforeSend(SendContext send) {
        // the latency is measured from SendContext.startNanos(): nothing to do before
    }

    @Override
    public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
        SendMeters m = sendMeters(send.provider(), send.topic());
        long nanos = System.nanoTime() - send.startNanos();
        long waited = send.windowWaitNanos();
        if (waited > 0) {
            m.windowWait.record(waited, TimeUnit.NANOSECONDS);
        }
        if (failure == null) {
            m.sent.increment();
            m.bytes.increment(send.message().payloadSize());
            m.latency.record(nanos, TimeUnit.NANOSECONDS);
        } else {
            m.failedLatency.record(nanos, TimeUnit.NANOSECONDS);
            m.failure(failure).increment();
        }
    }

    // ---- consumers ----

    @Override
    public void onConsumerOpen(ConsumerContext consumer) {
        LagGauge g = lagGauges.computeIfAbsent(List.of(consumer.provider(), consumer.topic(), consumer.group()),
                k -> new LagGauge(k.get(0), k.get(1), k.get(2)));
        g.live.add(consumer);
    }

    @Override
    public void onConsumerClose(ConsumerContext consumer) {
        LagGauge g = lagGauges.get(List.of(consumer.provider(), consumer.topic(), consumer.group()));
        if (g != null) {
            g.live.remove(consumer);
        }
    }

    // ---- deliveries ----

    @Override
    public void onReceive(DeliveryContext delivery) {
        ReceiveMeters m = receiveMeters(delivery.provider(), delivery.topic(), delivery.group());
        m.received.increment();
        m.receivedBytes.increment(delivery.message().payloadSize());
        if (delivery.deliveryCount() > 1) {
            m.redelivered.increment();
        }
        m.inFlight.incrementAndGet();
        delivery.attach(m);
    }

    @Override
    public void onSettle(DeliveryContext delivery, Outcome outcome, Throwable failure) {
        ReceiveMeters m = (ReceiveMeters) delivery.attachment();
        if (m != null) {
            m.inFlight.decrementAndGet();
            delivery.attach(null);
        } else {
            // dead-lettered on arrival, or released at close before it was handed over: never in flight
            m = receiveMeters(delivery.provider(), delivery.topic(), delivery.group());
        }
        if (failure != null) {
            m.settleFailure(outcome, failure).increment();
            return;
        }
        m.outcomes[outcome.ordinal()].increment();
    }

    // ---- meters ----

    private SendMeters sendMeters(String backend, String topic) {
        SendMeters last = lastSend;
        // a producer hands the same String instances send after send: two reference checks instead of two map lookups
        if (last != null && last.backend == backend && last.topic == topic) {
            return last;
        }
        SendMeters m = lookUpSendMeters(backend, topic);
        lastSend = m;
        return m;
    }

    private SendMeters lookUpSendMeters(String backend, String topic) {
        Map<String, SendMeters> byTopic = senders.get(backend);
        if (byTopic == null) {
            byTopic = senders.computeIfAbsent(backend, b -> new ConcurrentHashMap<>());
        }
        SendMeters m = byTopic.get(topic);
        return m != null ? m : byTopic.computeIfAbsent(topic, t -> new SendMeters(backend, t));
    }

    private ReceiveMeters receiveMeters(String backend, String topic, String group) {
        Map<String, Map<String, ReceiveMeters>> byTopic = receivers.get(backend);
        if (byTopic == null) {
            byTopic = receivers.computeIfAbsent(backend, b -> new ConcurrentHashMap<>());
        }
        Map<String, ReceiveMeters> byGroup = byTopic.get(topic);
        if (byGroup == null) {
            byGroup = byTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        }
        ReceiveMeters m = byGroup.get(group);
        return m != null ? m : byGroup.computeIfAbsent(group, g -> new ReceiveMeters(backend, topic, g));
    }

    private static String exceptionName(Throwable failure) {
        return failure.getClass().getSimpleName().isEmpty() ? failure.getClass().getName() : failure.getClass().getSimpleName();
    }

    private final class SendMeters {
        final String backend;
        final String topic;
        final Tags tags;
        final Counter sent;
        final Counter bytes;
        final Timer latency;
        final Timer failedLatency;
        final Timer windowWait;
        final Map<Class<?>, Counter> failures = new ConcurrentHashMap<>();

        SendMeters(String backend, String topic) {
            this.backend = backend;
            this.topic = topic;
            this.tags = commonTags.and("backend", backend, "topic", topic);
            this.sent = Counter.builder(PREFIX + "messages.sent").description("Messages sent and confirmed by the broker")
                    .baseUnit("messages").tags(tags).register(registry);
            this.bytes = Counter.builder(PREFIX + "messages.sent.bytes").description("Payload bytes of the messages sent and confirmed")
                    .baseUnit("bytes").tags(tags).register(registry);
            this.latency = timer(Tags.of("outcome", "success"));
            this.failedLatency = timer(Tags.of("outcome", "failure"));
            this.windowWait = Timer.builder(PREFIX + "send.window.wait")
                    .description("Time sends waited for room in the producer's in-flight window (only sends that found it full)")
                    .tags(tags).register(registry);
        }

        private Timer timer(Tags outcome) {
            Timer.Builder b = Timer.builder(PREFIX + "send.latency")
                    .description("From send to the broker's confirmation (or the failure)").tags(tags).tags(outcome);
            if (percentiles.length > 0) {
                b.publishPercentiles(percentiles);
            }
            if (percentileHistogram) {
                b.publishPercentileHistogram();
            }
            if (slos.length > 0) {
                b.serviceLevelObjectives(slos);
            }
            return b.register(registry);
        }

        Counter failure(Throwable failure) {
            Counter c = failures.get(failure.getClass());
            return c != null ? c : failures.computeIfAbsent(failure.getClass(),
                    k -> Counter.builder(PREFIX + "send.failures").description("Sends that failed, by exception type")
                            .baseUnit("messages").tags(tags).tag("exception", exceptionName(failure)).register(registry));
        }
    }

    private final class ReceiveMeters {
        final Tags tags;
        final Counter received;
        final Counter receivedBytes;
        final Counter redelivered;
        /** By {@link Outcome#ordinal()}. */
        final Counter[] outcomes = new Counter[Outcome.values().length];
        final AtomicInteger inFlight = new AtomicInteger();
        final Map<String, Counter> failures = new ConcurrentHashMap<>();

        ReceiveMeters(String backend, String topic, String group) {
            this.tags = commonTags.and("backend", backend, "topic", topic, "group", group);
            this.received = counter("messages.received", "Deliveries handed to the application");
            this.receivedBytes = Counter.builder(PREFIX + "messages.received.bytes").description("Payload bytes of the deliveries handed to the application")
                    .baseUnit("bytes").tags(tags).register(registry);
            this.redelivered = counter("messages.redelivered", "Deliveries of a message delivered before (delivery count above 1)");
            outcomes[Outcome.ACKED.ordinal()] = counter("messages.acked", "Deliveries acknowledged");
            outcomes[Outcome.NACKED.ordinal()] = counter("messages.nacked", "Deliveries given back for redelivery (nack)");
            outcomes[Outcome.REJECTED.ordinal()] = counter("messages.rejected", "Deliveries rejected by the application");
            outcomes[Outcome.DEAD_LETTERED.ordinal()] = counter("messages.dead.lettered",
                    "Messages the client dead-lettered for reaching the maximum deliveries");
            outcomes[Outcome.EXPIRED.ordinal()] = counter("messages.expired", "Deliveries whose ack timeout passed unsettled");
            outcomes[Outcome.RELEASED.ordinal()] = counter("messages.released", "Deliveries given back unsettled when their consumer closed");
            Gauge.builder(PREFIX + "messages.in.flight", inFlight, AtomicInteger::get)
                    .description("Deliveries handed to the application and not settled yet").baseUnit("messages").tags(tags).register(registry);
        }

        private Counter counter(String name, String description) {
            return Counter.builder(PREFIX + name).description(description).baseUnit("messages").tags(tags).register(registry);
        }

        Counter settleFailure(Outcome outcome, Throwable failure) {
            String key = outcome.name() + ' ' + failure.getClass().getName();
            Counter c = failures.get(key);
            return c != null ? c : failures.computeIfAbsent(key, k -> Counter.builder(PREFIX + "settle.failures")
                    .description("Settlements that failed at the broker, by outcome and exception type").baseUnit("messages").tags(tags)
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).tag("exception", exceptionName(failure))
                    .register(registry));
        }
    }

    /**
     * The {@code anymq.consumer.lag} gauge of one group: asks a live consumer of the group for the broker's lag at
     * most once per lag interval (one thread at a time; a reader meanwhile gets the last value). NaN while no
     * consumer of the group is open, where the backend does not tell, or when the broker could not be asked.
     */
    private final class LagGauge {
        final Set<ConsumerContext> live = ConcurrentHashMap.newKeySet();
        private final ReentrantLock asking = new ReentrantLock();
        private volatile double value = Double.NaN;
        private volatile long askedAt;
        private volatile boolean asked;

        LagGauge(String backend, String topic, String group) {
            Gauge.builder(PREFIX + "consumer.lag", this, LagGauge::value)
                    .description("Messages of the topic waiting for the group, not delivered to any member yet (where the broker tells)")
                    .baseUnit("messages").tags(commonTags.and("backend", backend, "topic", topic, "group", group)).register(registry);
        }

        double value() {
            if (asked && System.nanoTime() - askedAt < lagIntervalNanos || !asking.tryLock()) {
                return value;
            }
            try {
                double v = Double.NaN;
                for (ConsumerContext c : live) {
                    try {
                        OptionalLong lag = c.lag();
                        v = lag.isPresent() ? lag.getAsLong() : Double.NaN;
                    } catch (RuntimeException e) {
                        v = Double.NaN; // the broker could not be asked now: unknown, asked again after the interval
                    }
                    break;
                }
                value = v;
                askedAt = System.nanoTime();
                asked = true;
                return v;
            } finally {
                asking.unlock();
            }
        }
    }

    /** Options of a {@link MicrometerInterceptor}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private double[] percentiles = new double[0];
        private boolean percentileHistogram;
        private Duration[] slos = new Duration[0];
        private Duration lagInterval = DEFAULT_LAG_INTERVAL;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Tags added to every meter, such as an application name.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = this.tags.and(tags);
            return this;
        }

        /**
         * Percentiles the send latency timer publishes (computed in the client), such as 0.5, 0.99.
         *
         * @param percentiles each between 0 and 1
         * @return this builder
         */
        public Builder percentiles(double... percentiles) {
            for (double p : percentiles) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("a percentile is between 0 and 1: " + p);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /**
         * Whether the send latency timer publishes a histogram (for percentiles aggregated in the
         * monitoring system, such as Prometheus' {@code histogram_quantile}).
         *
         * @param on true to publish it
         * @return this builder
         */
        public Builder percentileHistogram(boolean on) {
            this.percentileHistogram = on;
            return this;
        }

        /**
         * Service-level objectives of the send latency timer: a bucket for each.
         *
         * @param slos the latencies
         * @return this builder
         */
        public Builder serviceLevelObjectives(Duration... slos) {
            this.slos = Arrays.copyOf(slos, slos.length);
            return this;
        }

        /**
         * How often the {@code anymq.consumer.lag} gauge may ask the broker (a read in between gets the last
         * answer); default {@link MicrometerInterceptor#DEFAULT_LAG_INTERVAL}. Zero asks on every read.
         *
         * @param interval not negative
         * @return this builder
         */
        public Builder lagInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the lag interval is negative: " + interval);
            }
            this.lagInterval = interval;
            return this;
        }

        /**
         * The interceptor.
         *
         * @return a new interceptor
         */
        public MicrometerInterceptor build() {
            return new MicrometerInterceptor(this);
        }
    }
}
