package io.anymq.cli;

import io.anymq.MessagingInterceptor;
import io.anymq.micrometer.MicrometerInterceptor;
import io.anymq.opentelemetry.OpenTelemetryInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The interceptors {@code mq bench --metrics --tracing} installs in the anymq side, set up as an
 * application would: a Micrometer registry that keeps every meter (the interceptor's defaults: no percentiles), and
 * an OpenTelemetry SDK that samples every message (or, with {@code --tracing-ratio}, that share of the traces: a
 * producer span's trace id decides, its consumer span follows the parent), with the W3C propagator and a batch span
 * processor (the SDK's defaults: a 2048-span queue, batches of 512; production's processor, unlike the simple one that
 * exports each span on the thread that ends it) whose exporter counts the spans and drops them (no network in the
 * measurement: an OTLP exporter's encoding runs on the processor's thread, not the application's).
 */
final class BenchInterceptors implements AutoCloseable {
    private final SimpleMeterRegistry registry;
    private final OpenTelemetrySdk otel;
    private final AtomicLong exported = new AtomicLong();
    private final List<MessagingInterceptor> list = new ArrayList<>();

    /**
     * @param ratio the share of traces sampled: 1 samples every one (the SDK's default sampler, {@code parentbased_always_on}),
     *              below 1 {@code parentbased_traceidratio}
     * @param propagateUnsampled whether an unsampled send still writes its trace context (the interceptor's default)
     */
    BenchInterceptors(boolean metrics, boolean tracing, double ratio, boolean propagateUnsampled) {
        if (metrics) {
            registry = new SimpleMeterRegistry();
            list.add(MicrometerInterceptor.create(registry)); // the defaults: percentiles and histograms are opt-in
        } else {
            registry = null;
        }
        if (tracing) {
            SpanExporter counting = new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAndGet(spans.size());
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
            otel = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .setSampler(ratio >= 1 ? Sampler.parentBased(Sampler.alwaysOn()) : Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
                            .addSpanProcessor(BatchSpanProcessor.builder(counting).build()).build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
            list.add(OpenTelemetryInterceptor.builder(otel).propagateUnsampled(propagateUnsampled).build());
        } else {
            otel = null;
        }
    }

    List<MessagingInterceptor> list() {
        return list;
    }

    /** One line on what the interceptors saw, so that a run shows they worked. */
    void summarize(PrintWriter out) {
        if (registry != null) {
            double sent = registry.find("anymq.messages.sent").counters().stream().mapToDouble(Counter::count).sum();
            double acked = registry.find("anymq.messages.acked").counters().stream().mapToDouble(Counter::count).sum();
            out.printf("bench: --metrics counted %.0f messages sent and %.0f acked over every run%n", sent, acked);
            for (Counter c : registry.find("anymq.settle.failures").counters()) {
                out.printf("bench: --metrics counted %.0f failed settlements (%s, %s)%n", c.count(),
                        c.getId().getTag("outcome"), c.getId().getTag("exception"));
            }
        }
        if (otel != null) {
            otel.getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
            out.printf("bench: --tracing exported %d spans over every run (the batch processor drops spans when its queue is full)%n",
                    exported.get());
        }
        out.flush();
    }

    @Override
    public void close() {
        if (otel != null) {
            otel.close();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
