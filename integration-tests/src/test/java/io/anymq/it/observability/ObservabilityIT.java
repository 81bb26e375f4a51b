package io.anymq.it.observability;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.micrometer.MicrometerInterceptor;
import io.anymq.opentelemetry.OpenTelemetryInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics ({@code mq-micrometer}) and tracing ({@code mq-opentelemetry}) on every broker and mode the
 * conformance suites cover: a trace started before send continues after receive (the consumer span's
 * parent is the producer span, in the same trace), the {@code traceparent} header survives the trip,
 * and the meters count what happened. One broker runs at a time: the cases are grouped by broker, and
 * a broker is stopped when the next case needs another. Plus the interop case: a plain
 * {@code kafka-clients} producer's {@code traceparent} becomes the parent of anymq's consumer span. And first, the
 * consumer lag gauge where the drivers report lag.
 */
@HeavyBrokers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {
    private static final int MESSAGES = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int LAG_MESSAGES = 5;
    private static final Duration LAG_PATIENCE = Duration.ofSeconds(15);

    private static Broker current;

    /** The broker of this kind, started once; the broker of another kind is stopped first. */
    static Broker broker(BrokerKind kind) {
        if (current != null && current.kind() == kind) {
            return current;
        }
        stopBroker();
        current = TestBrokers.provide(kind);
        return current;
    }

    @AfterAll
    static void stopBroker() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /**
     * Every broker and mode of the conformance suites (integration-tests' *TckIT classes), grouped by broker: Kafka's
     * first (its broker runs already for the lag and interop cases), then RabbitMQ's lag case on the broker the next
     * cases start with, then the others.
     */
    static Stream<Arguments> casesOnKafka() {
        return Stream.of(
                Arguments.of(BrokerKind.KAFKA, (Function<Broker, String>) b -> b.url() + "?mode=ordered", "kafka ordered"),
                Arguments.of(BrokerKind.KAFKA, (Function<Broker, String>) b -> b.url() + "?mode=shared", "kafka shared"));
    }

    static Stream<Arguments> casesAfterKafka() {
        return Stream.of(
                Arguments.of(BrokerKind.RABBITMQ, (Function<Broker, String>) b -> b.url() + "/?queue-type=classic&unroutable=accept", "rabbitmq classic"),
                Arguments.of(BrokerKind.RABBITMQ, (Function<Broker, String>) b -> b.url() + "/?queue-type=quorum&unroutable=accept", "rabbitmq quorum"),
                Arguments.of(BrokerKind.REDIS, (Function<Broker, String>) b -> b.url() + "?mode=list", "redis list"),
                Arguments.of(BrokerKind.REDIS, (Function<Broker, String>) b -> b.url() + "?mode=stream", "redis stream"),
                Arguments.of(BrokerKind.REDIS, (Function<Broker, String>) b -> b.url() + "?mode=zset", "redis zset"),
                Arguments.of(BrokerKind.NATS, (Function<Broker, String>) Broker::url, "nats core"),
                Arguments.of(BrokerKind.NATS, (Function<Broker, String>) b -> b.url() + "?jetstream=true", "nats jetstream"),
                Arguments.of(BrokerKind.MEMCACHED, (Function<Broker, String>) b -> b.url() + "?eviction=refuse", "memcached"),
                Arguments.of(BrokerKind.ACTIVEMQ, (Function<Broker, String>) Broker::url, "activemq"),
                Arguments.of(BrokerKind.ARTEMIS, (Function<Broker, String>) Broker::url, "artemis"),
                Arguments.of(BrokerKind.HORNETQ, (Function<Broker, String>) Broker::url, "hornetq"),
                Arguments.of(BrokerKind.ROCKETMQ, (Function<Broker, String>) Broker::url, "rocketmq"),
                Arguments.of(BrokerKind.PULSAR, (Function<Broker, String>) b -> b.url() + "?mode=shared", "pulsar shared"),
                Arguments.of(BrokerKind.PULSAR, (Function<Broker, String>) b -> b.url() + "?mode=key_shared", "pulsar key_shared"),
                Arguments.of(BrokerKind.PULSAR, (Function<Broker, String>) b -> b.url() + "?mode=failover&partitions=4&admin-url="
                        + b.nativeProperties().get("adminUrl"), "pulsar failover"));
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An SDK that keeps finished spans in memory, with the W3C propagator. */
    private static OpenTelemetrySdk sdk(InMemorySpanExporter spans) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    static Stream<Arguments> lagCases() {
        return Stream.of(
                Arguments.of(BrokerKind.REDIS, (Function<Broker, String>) b -> b.url() + "?mode=stream", "redis", "redis stream"),
                Arguments.of(BrokerKind.NATS, (Function<Broker, String>) b -> b.url() + "?jetstream=true", "nats", "nats jetstream"),
                // Kafka last: the broker stays for the interop case and the first cases of the traces
                Arguments.of(BrokerKind.KAFKA, (Function<Broker, String>) b -> b.url() + "?mode=ordered", "kafka", "kafka ordered"));
    }

    /** RabbitMQ between the traces' cases on Kafka and the others, which start with RabbitMQ. */
    static Stream<Arguments> lagCasesOnRabbitMq() {
        return Stream.of(Arguments.of(BrokerKind.RABBITMQ, (Function<Broker, String>) b -> b.url() + "/?queue-type=quorum", "rabbitmq",
                "rabbitmq quorum"));
    }

    /** Pulsar after the traces' cases, whose last broker it is. */
    static Stream<Arguments> lagCasesAfterTheTraces() {
        return Stream.of(Arguments.of(BrokerKind.PULSAR, (Function<Broker, String>) b -> b.url() + "?mode=shared&admin-url="
                + b.nativeProperties().get("adminUrl"), "pulsar", "pulsar shared"));
    }

    /**
     * The {@code anymq.consumer.lag} gauge against the brokers whose drivers report lag (Redis Streams' {@code XINFO GROUPS}
     * lag, JetStream's {@code num_pending}, RabbitMQ's ready count and prefetch, Kafka's end offsets minus positions and
     * share-partition lag, Pulsar's {@code msgBacklog}): once the member is in (the gauge reads 0), messages sent before it
     * reads anything are its lag, it goes to zero once they were received and acked, and with no open consumer the gauge is
     * NaN. First, before the traces' cases (Kafka last, whose broker they start with); RabbitMQ and Pulsar next to the
     * traces' cases on their brokers, so that no broker starts again for them. Kafka share groups: {@link KafkaShareLagDrill}.
     */
    @Order(0)
    @ParameterizedTest(name = "lag: {3}")
    @MethodSource("lagCases")
    void theLagGaugeFollowsWhatTheGroupHasNotReceived(BrokerKind kind, Function<Broker, String> url, String backend, String name) {
        lagGaugeCase(kind, url, backend);
    }

    @Order(3)
    @ParameterizedTest(name = "lag: {3}")
    @MethodSource("lagCasesOnRabbitMq")
    void theLagGaugeFollowsTheQueueAndThePrefetch(BrokerKind kind, Function<Broker, String> url, String backend, String name) {
        lagGaugeCase(kind, url, backend);
    }

    @Order(5)
    @ParameterizedTest(name = "lag: {3}")
    @MethodSource("lagCasesAfterTheTraces")
    void theLagGaugeFollowsWhatTheGroupHasNotAcked(BrokerKind kind, Function<Broker, String> url, String backend, String name) {
        lagGaugeCase(kind, url, backend);
    }

    /** Also {@link KafkaShareLagDrill}'s. */
    static void lagGaugeCase(BrokerKind kind, Function<Broker, String> url, String backend) {
        Broker broker = broker(kind);
        String topic = "lag-" + UUID.randomUUID().toString().substring(0, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerInterceptor metrics = MicrometerInterceptor.builder(registry).lagInterval(Duration.ZERO).build();
        try (MessagingClient client = Messaging.connect(MessagingConfig.builder().url(url.apply(broker)).interceptor(metrics).build())) {
            // RabbitMQ's queue only gets what is published once it is bound (EARLIEST is refused); the others start at the start
            StartPosition start = kind == BrokerKind.RABBITMQ ? StartPosition.LATEST : StartPosition.EARLIEST;
            String group = topic; // Kafka's group names are the cluster's: a share group cannot take a consumer group's name
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, group).startPosition(start).build());
            Gauge lag = registry.get("anymq.consumer.lag").tags("backend", backend, "topic", topic, "group", group).gauge();
            if (kind == BrokerKind.KAFKA) {
                // a Kafka member knows its partitions once it joined the group, in its first polls (not the others: a
                // JetStream member's pull left waiting at the server would take the messages sent next)
                await().atMost(LAG_PATIENCE).until(() -> consumer.receive(Duration.ofMillis(100)).isEmpty() && lag.value() == 0);
            }
            try (Producer p = client.producer(topic)) {
                for (int i = 0; i < LAG_MESSAGES; i++) {
                    p.send(Message.of("m" + i)).join();
                }
            }
            await().atMost(LAG_PATIENCE).until(lag::value, v -> v == LAG_MESSAGES);
            List<String> got = new ArrayList<>();
            long until = System.nanoTime() + LAG_PATIENCE.toNanos();
            while (got.size() < LAG_MESSAGES && System.nanoTime() < until) {
                for (Delivery d : consumer.receive(LAG_MESSAGES, Duration.ofMillis(500))) {
                    got.add(d.message().payloadAsString());
                    d.ack().join();
                }
            }
            assertThat(got).hasSize(LAG_MESSAGES);
            await().atMost(LAG_PATIENCE).until(lag::value, v -> v == 0);
            consumer.close();
            assertThat(lag.value()).as("no open consumer to ask").isNaN();
        }
    }

    @Order(1)
    @Test
    void aTraceparentFromAPlainKafkaProducerIsTheParentOfTheConsumerSpan() throws Exception {
        Broker kafka = broker(BrokerKind.KAFKA);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String spanId = "00f067aa0ba902b7";
        String topic = fresh("interop");
        try (OpenTelemetrySdk otel = sdk(spans);
             MessagingClient client = Messaging.connect(MessagingConfig.builder().url(kafka.url())
                     .interceptor(OpenTelemetryInterceptor.create(otel)).build())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (KafkaProducer<String, String> plain = new KafkaProducer<>(Map.of("bootstrap.servers",
                    kafka.nativeProperties().get("bootstrap.servers")), new StringSerializer(), new StringSerializer())) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k", "from kafka-clients");
                r.headers().add("traceparent", ("00-" + traceId + "-" + spanId + "-01").getBytes(StandardCharsets.UTF_8));
                r.headers().add("tracestate", "vendor=abc".getBytes(StandardCharsets.UTF_8));
                plain.send(r).get();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from kafka-clients");
            d.ack().join();
            consumer.close();
            // read before the SDK closes: closing the in-memory exporter drops what it holds
            List<SpanData> consumed = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
            assertThat(consumed).hasSize(1);
            SpanData span = consumed.get(0);
            assertThat(span.getTraceId()).isEqualTo(traceId);
            assertThat(span.getParentSpanId()).isEqualTo(spanId);
            assertThat(span.getParentSpanContext().isRemote()).isTrue();
            assertThat(span.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
            assertThat(span.getAttributes().asMap()).containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.system"), "kafka");
        }
    }

    /**
     * {@code propagateUnsampled(false)} on a real Kafka: a send whose span the sampler dropped puts no header on the record
     * (the consumer span then roots a trace of its own), a sampled send still carries {@code traceparent} and its consumer
     * span continues the trace. The sampler drops every root PRODUCER span and samples the rest.
     */
    @Order(1)
    @Test
    void anUnsampledSendCarriesNoTraceContextWhenAsked() throws Exception {
        Broker kafka = broker(BrokerKind.KAFKA);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        String topic = fresh("unsampled");
        io.opentelemetry.sdk.trace.samplers.Sampler dropRootSends = new io.opentelemetry.sdk.trace.samplers.Sampler() {
            @Override
            public io.opentelemetry.sdk.trace.samplers.SamplingResult shouldSample(io.opentelemetry.context.Context parent,
                    String traceId, String name, SpanKind kind, io.opentelemetry.api.common.Attributes attributes,
                    List<io.opentelemetry.sdk.trace.data.LinkData> links) {
                return kind == SpanKind.PRODUCER ? io.opentelemetry.sdk.trace.samplers.SamplingResult.drop()
                        : io.opentelemetry.sdk.trace.samplers.SamplingResult.recordAndSample();
            }

            @Override
            public String getDescription() {
                return "dropRootSends";
            }
        };
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Span sampledParent = Span.wrap(io.opentelemetry.api.trace.SpanContext.create(traceId, "00f067aa0ba902b7",
                io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault()));
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(dropRootSends))
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
             MessagingClient client = Messaging.connect(MessagingConfig.builder().url(kafka.url() + "?mode=ordered")
                     .interceptor(OpenTelemetryInterceptor.builder(otel).propagateUnsampled(false).build()).build())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (Producer p = client.producer(topic)) {
                p.send(Message.of("unsampled")).join();
                try (Scope s = sampledParent.makeCurrent()) {
                    p.send(Message.of("sampled")).join();
                }
            }
            Delivery unsampled = consumer.receive(Duration.ofSeconds(30)).orElseThrow();
            assertThat(unsampled.message().payloadAsString()).isEqualTo("unsampled");
            assertThat(unsampled.message().headerFields()).as("no header on the record").isEmpty();
            unsampled.ack().join();
            Delivery sampled = consumer.receive(Duration.ofSeconds(30)).orElseThrow();
            assertThat(sampled.message().header("traceparent")).startsWith("00-" + traceId + "-").endsWith("-01");
            sampled.ack().join();
            consumer.close();
            List<SpanData> finished = spans.getFinishedSpanItems();
            SpanData producer = finished.stream().filter(x -> x.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
            List<SpanData> consumed = finished.stream().filter(x -> x.getKind() == SpanKind.CONSUMER).toList();
            assertThat(finished).filteredOn(x -> x.getKind() == SpanKind.PRODUCER).hasSize(1); // the dropped send's is not exported
            assertThat(producer.getTraceId()).isEqualTo(traceId);
            assertThat(consumed).hasSize(2);
            assertThat(consumed.get(0).getParentSpanContext().isValid()).as("a trace of its own").isFalse();
            assertThat(consumed.get(0).getTraceId()).isNotEqualTo(traceId);
            assertThat(consumed.get(1).getTraceId()).isEqualTo(traceId);
            assertThat(consumed.get(1).getParentSpanId()).isEqualTo(producer.getSpanId());
        }
    }

    @Order(2)
    @ParameterizedTest(name = "{2}")
    @MethodSource("casesOnKafka")
    void tracesContinueAndMetersCountOnKafka(BrokerKind kind, Function<Broker, String> url, String name) throws Exception {
        tracesContinueAndMetersCount(kind, url, name);
    }

    @Order(4)
    @ParameterizedTest(name = "{2}")
    @MethodSource("casesAfterKafka")
    void tracesContinueAndMetersCountOnEveryOtherBroker(BrokerKind kind, Function<Broker, String> url, String name) throws Exception {
        tracesContinueAndMetersCount(kind, url, name);
    }

    private static void tracesContinueAndMetersCount(BrokerKind kind, Function<Broker, String> url, String name) throws Exception {
        Broker broker = broker(kind);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String topic = fresh("obs");
        String group = fresh("obs"); // a Kafka group name is either a consumer group or a share group: one per case
        try (OpenTelemetrySdk otel = sdk(spans);
             MessagingClient client = Messaging.connect(MessagingConfig.builder().url(url.apply(broker))
                     .interceptor(MicrometerInterceptor.create(registry))
                     .interceptor(OpenTelemetryInterceptor.create(otel)).build())) {
            boolean replay = client.capabilities().has(Capability.REPLAY_FROM_EARLIEST);
            boolean nack = client.capabilities().has(Capability.NACK_REDELIVERY);
            boolean counts = client.capabilities().has(Capability.DELIVERY_COUNT);
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, group)
                    .startPosition(replay ? StartPosition.EARLIEST : StartPosition.LATEST).build());
            Span root = otel.getTracer("it").spanBuilder("before send").startSpan();
            try (Producer p = client.producer(topic); Scope s = root.makeCurrent()) {
                for (int i = 0; i < MESSAGES; i++) {
                    p.send(Message.builder().payload("m" + i).key("k" + i).build()).join();
                }
            } finally {
                root.end();
            }
            String trace = root.getSpanContext().getTraceId();

            // receive every message; nack the first one once where the backend redelivers on nack
            Map<String, Integer> seen = new HashMap<>();
            boolean nacked = false;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!(seen.size() == MESSAGES && (!nack || nacked && seen.get("m0") >= 2)) && System.nanoTime() < deadline) {
                for (Delivery d : consumer.receive(10, Duration.ofMillis(500))) {
                    String text = d.message().payloadAsString();
                    assertThat(d.message().header("traceparent")).as(name + ": traceparent of " + text)
                            .startsWith("00-" + trace + "-");
                    seen.merge(text, 1, Integer::sum);
                    if (nack && !nacked && text.equals("m0")) {
                        nacked = true;
                        d.nack(Duration.ZERO).join();
                    } else {
                        d.ack().join();
                    }
                }
            }
            consumer.close();
            assertThat(seen).as(name + ": deliveries").containsOnlyKeys("m0", "m1", "m2");
            if (nack) {
                assertThat(seen.get("m0")).as(name + ": m0 redelivered after its nack").isGreaterThanOrEqualTo(2);
            }

            // tracing: producer spans children of the root span, each consumer span a child of its producer span
            List<SpanData> finished = spans.getFinishedSpanItems();
            List<SpanData> producers = finished.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
            List<SpanData> consumers = finished.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
            assertThat(producers).as(name + ": producer spans").hasSize(MESSAGES).allSatisfy(s -> {
                assertThat(s.getTraceId()).isEqualTo(trace);
                assertThat(s.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
                assertThat(s.getName()).isEqualTo("send " + topic);
                assertThat(s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id"))).isNotBlank();
            });
            Set<String> producerIds = producers.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
            assertThat(consumers).as(name + ": consumer spans").hasSizeGreaterThanOrEqualTo(MESSAGES + (nack ? 1 : 0)).allSatisfy(s -> {
                assertThat(s.getTraceId()).isEqualTo(trace);
                assertThat(producerIds).contains(s.getParentSpanId());
                assertThat(s.getName()).isEqualTo("process " + topic);
                assertThat(s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo(group);
            });
            assertThat(new HashSet<>(consumers.stream().map(SpanData::getParentSpanId).toList())).as(name + ": every send was processed")
                    .isEqualTo(producerIds);

            // metrics
            assertThat(registry.get("anymq.messages.sent").tags("backend", client.provider(), "topic", topic).counter().count())
                    .as(name + ": sent").isEqualTo(MESSAGES);
            assertThat(registry.get("anymq.send.latency").tags("topic", topic, "outcome", "success").timer().count()).isEqualTo(MESSAGES);
            int deliveries = seen.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(registry.get("anymq.messages.received").tags("topic", topic, "group", group).counter().count())
                    .as(name + ": received").isEqualTo(deliveries);
            assertThat(registry.get("anymq.messages.acked").tags("topic", topic, "group", group).counter().count())
                    .as(name + ": acked").isEqualTo(deliveries - (nack ? 1 : 0));
            assertThat(registry.get("anymq.messages.nacked").tags("topic", topic, "group", group).counter().count()).isEqualTo(nack ? 1 : 0);
            if (nack && counts) {
                assertThat(registry.get("anymq.messages.redelivered").tags("topic", topic, "group", group).counter().count())
                        .as(name + ": redelivered").isGreaterThanOrEqualTo(1);
            }
            assertThat(registry.get("anymq.messages.in.flight").tags("topic", topic, "group", group).gauge().value()).isZero();
            assertThat(client.interceptorFailures()).as(name + ": interceptor failures").isZero();
        }
    }
}
