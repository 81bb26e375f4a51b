package io.anymq.opentelemetry;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.StartPosition;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trace propagation and spans of {@link OpenTelemetryInterceptor}, on mem:. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenTelemetryInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final OpenTelemetryInterceptor tracing = OpenTelemetryInterceptor.create(otel);

    @AfterEach
    void close() {
        otel.close();
    }

    private MessagingClient connect(String url) {
        return Messaging.connect(MessagingConfig.builder().url(url).interceptor(tracing).build());
    }

    private static String broker() {
        return "mem:trace-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private SpanData only(SpanKind kind) {
        List<SpanData> of = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    @Test
    void theBodySizeIsOptIn() {
        OpenTelemetryInterceptor sized = OpenTelemetryInterceptor.builder(otel).bodySize(true).build();
        try (MessagingClient c = Messaging.connect(MessagingConfig.builder().url(broker()).interceptor(sized).build());
             Consumer consumer = c.consumer(ConsumerOptions.builder("a", "g").startPosition(StartPosition.EARLIEST).build());
             Producer pa = c.producer("a");
             Producer pb = c.producer("b")) {
            pa.send(Message.of(new byte[300])).join();
            pb.send(Message.of(new byte[2])).join(); // another topic: its own span name
            consumer.receive(WAIT).orElseThrow().ack().join();
        }
        assertThat(spans.getFinishedSpanItems()).extracting(s -> s.getName() + " " + s.getAttributes().get(OpenTelemetryInterceptor.BODY_SIZE))
                .containsExactlyInAnyOrder("send a 300", "send b 2", "process a 300");
    }

    @Test
    void aTraceStartedBeforeSendContinuesAfterReceive() {
        Span root = otel.getTracer("test").spanBuilder("checkout").startSpan();
        try (MessagingClient c = connect(broker());
             Consumer consumer = c.consumer(ConsumerOptions.builder("orders", "billing").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("orders")) {
            Receipt r;
            try (Scope s = root.makeCurrent()) {
                r = p.send(Message.of("order-1")).join();
            } finally {
                root.end();
            }
            Delivery d = consumer.receive(WAIT).orElseThrow();
            assertThat(d.message().header("traceparent")).startsWith("00-" + root.getSpanContext().getTraceId() + "-");
            // the application continues the trace from the message
            Span handling = otel.getTracer("test").spanBuilder("handle").setParent(tracing.extract(d.message())).startSpan();
            handling.end();
            d.ack().join();

            SpanData producer = only(SpanKind.PRODUCER);
            SpanData consumerSpan = only(SpanKind.CONSUMER);
            String trace = root.getSpanContext().getTraceId();
            assertThat(producer.getTraceId()).isEqualTo(trace);
            assertThat(producer.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
            assertThat(producer.getName()).isEqualTo("send orders");
            assertThat(producer.getAttributes().get(OpenTelemetryInterceptor.MESSAGING_SYSTEM)).isEqualTo("mem");
            assertThat(producer.getAttributes().get(OpenTelemetryInterceptor.DESTINATION_NAME)).isEqualTo("orders");
            assertThat(producer.getAttributes().get(OpenTelemetryInterceptor.OPERATION_TYPE)).isEqualTo("send");
            assertThat(producer.getAttributes().get(OpenTelemetryInterceptor.MESSAGE_ID)).isEqualTo(r.messageId());
            assertThat(d.message().header("traceparent")).contains(producer.getSpanId());

            assertThat(consumerSpan.getTraceId()).isEqualTo(trace);
            assertThat(consumerSpan.getParentSpanId()).isEqualTo(producer.getSpanId());
            assertThat(consumerSpan.getName()).isEqualTo("process orders");
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.OPERATION_TYPE)).isEqualTo("process");
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.CONSUMER_GROUP)).isEqualTo("billing");
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.MESSAGE_ID)).isEqualTo(r.messageId());
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.DELIVERY_COUNT)).isEqualTo(1L);
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.SETTLEMENT)).isEqualTo("acked");
            assertThat(producer.getAttributes().get(OpenTelemetryInterceptor.BODY_SIZE)).as("opt-in").isNull();
            assertThat(consumerSpan.getAttributes().get(OpenTelemetryInterceptor.BODY_SIZE)).as("opt-in").isNull();

            SpanData handled = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("handle")).findFirst().orElseThrow();
            assertThat(handled.getTraceId()).isEqualTo(trace);
            assertThat(handled.getParentSpanId()).isEqualTo(producer.getSpanId());
        }
    }

    @Test
    void eachDeliveryHasItsProcessSpanWithItsCountAndSettlement() {
        try (MessagingClient c = connect(broker());
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            p.send(Message.of("x")).join();
            consumer.receive(WAIT).orElseThrow().nack(Duration.ZERO).join();
            consumer.receive(WAIT).orElseThrow().ack().join();
        }
        SpanData producer = only(SpanKind.PRODUCER);
        assertThat(producer.getParentSpanContext().isValid()).isFalse(); // no span was current: a new trace
        List<SpanData> processed = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
        assertThat(processed).extracting(s -> s.getAttributes().get(OpenTelemetryInterceptor.SETTLEMENT)).containsExactly("nacked", "acked");
        assertThat(processed).extracting(s -> s.getAttributes().get(OpenTelemetryInterceptor.DELIVERY_COUNT)).containsExactly(1L, 2L);
        assertThat(processed).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(producer.getTraceId());
            assertThat(s.getParentSpanId()).isEqualTo(producer.getSpanId());
        });
    }

    @Test
    void aFailedSendEndsItsSpanWithAnError() {
        try (MessagingClient c = connect(broker() + "?capacity=1&when-full=fail");
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.of("fits")).join();
            assertThatThrownBy(() -> p.send(Message.of("over")).join()).hasStackTraceContaining("BackpressureException");
        }
        List<SpanData> producers = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
        assertThat(producers).hasSize(2);
        assertThat(producers.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(producers.get(1).getAttributes().get(OpenTelemetryInterceptor.ERROR_TYPE)).isEqualTo("io.anymq.BackpressureException");
        assertThat(producers.get(1).getEvents()).extracting(e -> e.getName()).contains("exception");
        var exception = producers.get(1).getEvents().stream().filter(e -> e.getName().equals("exception")).findFirst().orElseThrow();
        assertThat(exception.getAttributes().get(OpenTelemetryInterceptor.EXCEPTION_TYPE)).isEqualTo("io.anymq.BackpressureException");
        assertThat(exception.getAttributes().get(OpenTelemetryInterceptor.EXCEPTION_MESSAGE)).isNotBlank();
        assertThat(exception.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("exception.stacktrace")))
                .as("no stack trace: too costly when a lost connection fails thousands at once").isNull();
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    /** Sends the message with a traceparent from an untraced client, receives it traced; the interceptor failures. */
    private long receiveWithTraceparent(Message.Builder message) {
        return receive(message.header("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01"));
    }

    /** Sends the message with a client without the interceptor, receives and acks it with one that has it. */
    private long receive(Message.Builder message) {
        String broker = broker();
        try (MessagingClient untraced = Messaging.connect(broker);
             MessagingClient c = connect(broker);
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = untraced.producer("t")) {
            p.send(message.build()).join();
            consumer.receive(WAIT).orElseThrow().ack().join();
            return c.interceptorFailures();
        }
    }

    @Test
    void aTraceparentWrittenByAnotherProducerIsPickedUp() {
        receiveWithTraceparent(Message.builder().payload("x"));
        SpanData consumerSpan = only(SpanKind.CONSUMER);
        assertThat(consumerSpan.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(consumerSpan.getParentSpanId()).isEqualTo(SPAN_ID);
        assertThat(consumerSpan.getParentSpanContext().isRemote()).isTrue();
    }

    @Test
    void aRepeatedOrBinaryHeaderElsewhereDoesNotStopExtraction() {
        long failures = receiveWithTraceparent(Message.builder().payload("x").addHeader("h", "1").addHeader("h", "2")
                .headerBytes("raw", new byte[] {(byte) 0xff}));
        assertThat(failures).isZero();
        assertThat(only(SpanKind.CONSUMER).getTraceId()).isEqualTo(TRACE_ID);
    }

    @Test
    void aTraceparentThatIsNotOneTextIsNotExtracted() {
        String traceparent = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
        long failures = receive(Message.builder().payload("twice").addHeader("traceparent", traceparent).addHeader("traceparent", traceparent));
        failures += receive(Message.builder().payload("bytes").headerBytes("traceparent", new byte[] {(byte) 0xff, '0', '0'}));
        assertThat(failures).isZero();
        List<SpanData> consumed = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
        assertThat(consumed).hasSize(2).allSatisfy(s -> {
            assertThat(s.getTraceId()).isNotEqualTo(TRACE_ID);
            assertThat(s.getParentSpanContext().isValid()).isFalse();
        });
    }

    /**
     * With a sampler that drops the producer's trace, the traceparent still travels (unsampled), the consumer span follows
     * its parent's decision, and nothing is exported; a sampled parent's consumer span still gets the per-message
     * attributes (set after the span started, on spans that record).
     */
    @Test
    void aDroppedTraceStillPropagatesAndASampledOneKeepsItsAttributes() {
        String url = broker();
        try (OpenTelemetrySdk sampled = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                        io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())).addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
             MessagingClient untraced = Messaging.connect(url);
             MessagingClient c = Messaging.connect(MessagingConfig.builder().url(url)
                     .interceptor(OpenTelemetryInterceptor.builder(sampled).bodySize(true).build()).build());
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            p.send(Message.of("dropped")).join();
            Delivery d = consumer.receive(WAIT).orElseThrow();
            assertThat(d.message().header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]"); // the sampled bit clear (02: the trace id is random)
            d.ack().join();
            assertThat(spans.getFinishedSpanItems()).isEmpty();

            Producer plain = untraced.producer("t");
            plain.send(Message.builder().payload("sampled").header("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01").build()).join();
            Delivery s = consumer.receive(WAIT).orElseThrow();
            s.ack().join();
            SpanData process = only(SpanKind.CONSUMER);
            assertThat(process.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(process.getAttributes().get(OpenTelemetryInterceptor.MESSAGE_ID)).isEqualTo(s.message().id());
            assertThat(process.getAttributes().get(OpenTelemetryInterceptor.BODY_SIZE)).isEqualTo(7L);
            assertThat(process.getAttributes().get(OpenTelemetryInterceptor.DELIVERY_COUNT)).isEqualTo(1L);
            plain.close();
        }
    }

    /** {@code propagateUnsampled(false)}: a dropped send writes no trace context; a sampled one still does. */
    @Test
    void anUnsampledSendCarriesNothingWhenAsked() {
        String url = broker();
        try (OpenTelemetrySdk dropping = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                        io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())).addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
             MessagingClient c = Messaging.connect(MessagingConfig.builder().url(url)
                     .interceptor(OpenTelemetryInterceptor.builder(dropping).propagateUnsampled(false).build()).build());
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            p.send(Message.of("dropped")).join();
            Span parent = Span.wrap(io.opentelemetry.api.trace.SpanContext.create(TRACE_ID, SPAN_ID,
                    io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault()));
            try (Scope s = parent.makeCurrent()) {
                p.send(Message.of("sampled")).join();
            }
            Delivery d = consumer.receive(WAIT).orElseThrow();
            assertThat(d.message().headerFields()).isEmpty();
            d.ack().join();
            Delivery s = consumer.receive(WAIT).orElseThrow();
            assertThat(s.message().header("traceparent")).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
            s.ack().join();
        }
    }
}
