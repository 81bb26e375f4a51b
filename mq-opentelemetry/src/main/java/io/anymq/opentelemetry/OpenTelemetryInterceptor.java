package io.anymq.opentelemetry;

import io.anymq.Message;
import io.anymq.MessagingInterceptor;
import io.anymq.Receipt;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Locale;
import java.util.Objects;

/**
 * Traces anymq clients with OpenTelemetry: a PRODUCER span around each send, whose context is
 * injected into the message's headers ({@code traceparent}, {@code tracestate} with the W3C
 * propagator, or whatever the {@link OpenTelemetry}'s propagators write), and a CONSUMER span for
 * each delivery, from the moment it is handed to the application until it is settled, whose parent
 * is the context extracted from the message's headers (the producer's span, also when a plain
 * native client wrote {@code traceparent}). Attributes follow the OpenTelemetry messaging semantic
 * conventions; this module's README lists them.
 *
 * <pre>{@code
 * MessagingClient client = Messaging.connect(MessagingConfig.builder().url("kafka://localhost:9092")
 *         .interceptor(OpenTelemetryInterceptor.create(openTelemetry)).build());
 * }</pre>
 *
 * The producer span's parent is the context current on the thread that calls {@code send}. To
 * continue the producer's trace in the code that handles a delivery, use {@link #extract(Message)}.
 */
public final class OpenTelemetryInterceptor implements MessagingInterceptor {
    /** The instrumentation scope's name, {@value}. */
    public static final String INSTRUMENTATION_NAME = "io.anymq";

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final String EXCEPTION_EVENT = "exception";
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    /** Not in the conventions (they name a delivery count per system only): anymq's own. */
    static final AttributeKey<Long> DELIVERY_COUNT = AttributeKey.longKey("anymq.message.delivery_count");
    /** How the delivery was settled: acked, nacked, rejected, dead_lettered, expired, released. Anymq's own. */
    static final AttributeKey<String> SETTLEMENT = AttributeKey.stringKey("anymq.settlement");

    /** {@link Outcome} names in lower case, by ordinal (not lower-cased per settlement: a JFR profile showed it). */
    private static final String[] SETTLEMENT_NAMES;

    static {
        Outcome[] outcomes = Outcome.values();
        SETTLEMENT_NAMES = new String[outcomes.length];
        for (Outcome o : outcomes) {
            SETTLEMENT_NAMES[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
        }
    }

    private static final TextMapSetter<SendContext> SETTER = (send, key, value) -> {
        if (send != null) {
            send.header(key, value);
        }
    };

    private static final TextMapGetter<Message> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Message message) {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            message.headerFields().forEach(f -> names.add(f.getKey())); // never throws, whatever the values
            return names;
        }

        /**
         * The header's text; null (nothing to extract) for a value that is not one text: bytes, none, or several.
         * {@code header} reads the one header (it refuses the other cases); {@code headerValuesAsBytes} would copy every
         * header of the message, twice per delivery (the W3C propagator asks for {@code traceparent} and {@code tracestate}).
         */
        @Override
        public String get(Message message, String key) {
            if (message == null) {
                return null;
            }
            try {
                return message.header(key);
            } catch (io.anymq.BinaryDataException | io.anymq.RepeatedHeaderException notOneText) {
                return null;
            }
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean bodySize;
    private final boolean propagateUnsampled;
    /** The span names of the last topic seen (racy on purpose: any thread's last is right for its own topic). */
    private volatile SpanNames lastNames = new SpanNames("");

    private OpenTelemetryInterceptor(OpenTelemetry openTelemetry, boolean bodySize, boolean propagateUnsampled) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.bodySize = bodySize;
        this.propagateUnsampled = propagateUnsampled;
    }

    /**
     * An interceptor that traces with this OpenTelemetry instance's tracer provider and propagators, with the
     * defaults (no {@code messaging.message.body.size}).
     *
     * @param openTelemetry such as {@code GlobalOpenTelemetry.get()} or an SDK instance
     * @return the interceptor
     */
    public static OpenTelemetryInterceptor create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /**
     * A builder, for the opt-in attributes.
     *
     * @param openTelemetry such as {@code GlobalOpenTelemetry.get()} or an SDK instance
     * @return the builder
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /** Options of an {@link OpenTelemetryInterceptor}. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private boolean bodySize;
        private boolean propagateUnsampled = true;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Whether both spans carry {@code messaging.message.body.size} (the payload's bytes); off by default, as the
         * semantic conventions make it opt-in (it costs an attribute per span).
         *
         * @param on true to add it
         * @return this builder
         */
        public Builder bodySize(boolean on) {
            this.bodySize = on;
            return this;
        }

        /**
         * Whether a send whose span the sampler dropped still writes the trace context into the message (on by default,
         * as W3C propagation does: {@code traceparent} with the sampled flag off, so that the consumer drops its span
         * too and the trace stays one). Off, an unsampled send writes nothing (no {@code traceparent}, no
         * {@code tracestate}, no baggage through the propagators), so that a message of an unsampled trace costs the
         * wire, the broker and the consumer no header; its consumer span then starts a trace of its own (the
         * receiving thread's context as its parent), which the consumer's sampler decides on afresh. A choice for
         * the user: on Kafka a record header costs several microseconds per message (see this module's README, Cost).
         *
         * @param on false to send no trace context for an unsampled send
         * @return this builder
         */
        public Builder propagateUnsampled(boolean on) {
            this.propagateUnsampled = on;
            return this;
        }

        /**
         * The interceptor.
         *
         * @return a new interceptor
         */
        public OpenTelemetryInterceptor build() {
            return new OpenTelemetryInterceptor(openTelemetry, bodySize, propagateUnsampled);
        }
    }

    /** The span names of one topic, made once per topic instead of once per span. */
    private static final class SpanNames {
        final String topic;
        final String send;
        final String process;

        SpanNames(String topic) {
            this.topic = topic;
            this.send = "send " + topic;
            this.process = "process " + topic;
        }
    }

    private SpanNames names(String topic) {
        SpanNames n = lastNames;
        if (n.topic != topic) { // a producer or consumer hands the same String instance each time
            n = new SpanNames(topic);
            lastNames = n;
        }
        return n;
    }

    /**
     * The trace context a message carries in its headers, on top of the current context: make it
     * current (or a span's parent) to continue the producer's trace while handling the message.
     *
     * @param message a received message
     * @return the current context with the producer's span context, or the current context when the
     *         message carries none
     */
    public Context extract(Message message) {
        return propagator.extract(Context.current(), message, GETTER);
    }

    /**
     * The send's PRODUCER span. The builder gets the attributes a sampler may decide on (the conventions' sampling-relevant
     * ones: system, destination, operation); the per-message ones (id, body size) go on the span only when it records,
     * so that a span a sampler drops costs neither them nor the formatting of the message's id.
     */
    @Override
    public void beforeSend(SendContext send) {
        Context parent = Context.current();
        Span span = tracer.spanBuilder(names(send.topic()).send)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, send.provider())
                .setAttribute(DESTINATION_NAME, send.topic())
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send")
                .startSpan();
        if (span.isRecording()) {
            Message m = send.message();
            if (bodySize) {
                span.setAttribute(BODY_SIZE, (long) m.payloadSize());
            }
            String id = m.id();
            if (id != null) {
                span.setAttribute(MESSAGE_ID, id);
            }
        }
        if (propagateUnsampled || span.getSpanContext().isSampled()) {
            propagator.inject(parent.with(span), send, SETTER);
        }
        send.attach(span);
    }

    @Override
    public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
        Span span = (Span) send.attachment();
        if (span == null) {
            return;
        }
        if (failure != null) {
            failed(span, failure);
        } else if (receipt != null && span.isRecording() && send.message().id() == null) {
            span.setAttribute(MESSAGE_ID, receipt.messageId()); // named by the broker's position
        }
        span.end();
    }

    /** The delivery's CONSUMER span; as for the send's, the per-message attributes only on a span that records. */
    @Override
    public void onReceive(DeliveryContext delivery) {
        Message m = delivery.message();
        Context parent = propagator.extract(Context.current(), m, GETTER);
        Span span = tracer.spanBuilder(names(delivery.topic()).process)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, delivery.provider())
                .setAttribute(DESTINATION_NAME, delivery.topic())
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(CONSUMER_GROUP, delivery.group())
                .startSpan();
        if (span.isRecording()) {
            if (bodySize) {
                span.setAttribute(BODY_SIZE, (long) m.payloadSize());
            }
            String id = m.id();
            if (id != null) {
                span.setAttribute(MESSAGE_ID, id);
            }
            int count = delivery.deliveryCount();
            if (count > 0) {
                span.setAttribute(DELIVERY_COUNT, (long) count);
            }
        }
        delivery.attach(span);
    }

    @Override
    public void onSettle(DeliveryContext delivery, Outcome outcome, Throwable failure) {
        Span span = (Span) delivery.attachment();
        if (span == null) {
            return; // dead-lettered on arrival or released before it was handed over: no process span
        }
        delivery.attach(null);
        span.setAttribute(SETTLEMENT, SETTLEMENT_NAMES[outcome.ordinal()]);
        if (failure != null) {
            failed(span, failure);
        }
        span.end();
    }

    /**
     * Status ERROR, {@code error.type}, and an {@code exception} event with the exception's type and message but no
     * stack trace: a lost connection fails thousands of sends or settlements at once, and rendering each one's stack
     * trace ({@code Span.recordException}) took 26-38 % of the samples of a Redis bench whose acks failed at close,
     * on the client's I/O thread.
     */
    private static void failed(Span span, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        String type = failure.getClass().getName();
        span.setStatus(StatusCode.ERROR, message);
        span.setAttribute(ERROR_TYPE, type);
        span.addEvent(EXCEPTION_EVENT, Attributes.of(EXCEPTION_TYPE, type, EXCEPTION_MESSAGE, message));
    }
}
