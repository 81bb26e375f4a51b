package io.anymq.spring;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.micrometer.MicrometerInterceptor;
import io.anymq.opentelemetry.OpenTelemetryInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter installs the Micrometer and OpenTelemetry interceptors where the application has a registry / an OpenTelemetry. */
class AnymqObservationAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AnymqAutoConfiguration.class, AnymqMetricsAutoConfiguration.class,
                    AnymqTracingAutoConfiguration.class))
            .withPropertyValues("anymq.url=mem:observed-" + UUID.randomUUID().toString().substring(0, 8));

    @Configuration(proxyBeanMethods = false)
    static class Observability {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean(destroyMethod = "close")
        OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        MicrometerInterceptor ownInterceptor(MeterRegistry registry) {
            return MicrometerInterceptor.builder(registry).tags(Tags.of("app", "mine")).build();
        }
    }

    /** Sends one message and acks it, through the context's client. */
    private static Message roundTrip(MessagingClient client) {
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("orders", "g").startPosition(StartPosition.EARLIEST).build());
             Producer producer = client.producer("orders")) {
            producer.send(Message.of("hello")).join();
            Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            d.ack().join();
            return d.message();
        }
    }

    private static double sent(MeterRegistry registry) {
        var c = registry.find("anymq.messages.sent").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRegistryAndAnOpenTelemetryGetBothInterceptorsMetricsFirst() {
        runner.withUserConfiguration(Observability.class).run(context -> {
            assertThat(context).hasSingleBean(MicrometerInterceptor.class).hasSingleBean(OpenTelemetryInterceptor.class);
            assertThat(context.getBean(MessagingConfig.class).interceptors())
                    .containsExactly(context.getBean(MicrometerInterceptor.class), context.getBean(OpenTelemetryInterceptor.class));
            Message received = roundTrip(context.getBean(MessagingClient.class));
            assertThat(received.header("traceparent")).as("the producer span's context travelled").startsWith("00-");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(sent(registry)).isEqualTo(1);
            assertThat(registry.get("anymq.messages.acked").tags("topic", "orders", "group", "g").counter().count()).isEqualTo(1);
            assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).extracting(SpanData::getKind)
                    .containsExactlyInAnyOrder(SpanKind.PRODUCER, SpanKind.CONSUMER);
        });
    }

    @Test
    void eachCanBeTurnedOff() {
        runner.withUserConfiguration(Observability.class).withPropertyValues("anymq.metrics.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(MicrometerInterceptor.class).hasSingleBean(OpenTelemetryInterceptor.class);
            roundTrip(context.getBean(MessagingClient.class)); // the switch is not passed to the provider as an option
            assertThat(sent(context.getBean(MeterRegistry.class))).isZero();
            assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).hasSize(2);
        });
        runner.withUserConfiguration(Observability.class).withPropertyValues("anymq.tracing.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(MicrometerInterceptor.class).doesNotHaveBean(OpenTelemetryInterceptor.class);
            Message received = roundTrip(context.getBean(MessagingClient.class));
            assertThat(received.header("traceparent")).isNull();
            assertThat(sent(context.getBean(MeterRegistry.class))).isEqualTo(1);
            assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).isEmpty();
        });
    }

    @Test
    void withoutARegistryOrAnOpenTelemetryNothingIsInstalled() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(MicrometerInterceptor.class).doesNotHaveBean(OpenTelemetryInterceptor.class);
            assertThat(context.getBean(MessagingConfig.class).interceptors()).isEmpty();
        });
    }

    @Test
    void withoutTheModulesOnTheClassPathNothingIsInstalledAndNothingFails() {
        runner.withUserConfiguration(Observability.class)
                .withClassLoader(new FilteredClassLoader(MicrometerInterceptor.class, OpenTelemetryInterceptor.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MessagingClient.class);
                    assertThat(context.getBean(MessagingConfig.class).interceptors()).isEmpty();
                });
    }

    @Test
    void anApplicationsOwnInterceptorReplacesTheStartersOne() {
        runner.withUserConfiguration(Observability.class, OwnMetrics.class).run(context -> {
            assertThat(context).hasSingleBean(MicrometerInterceptor.class);
            roundTrip(context.getBean(MessagingClient.class));
            assertThat(context.getBean(MeterRegistry.class).get("anymq.messages.sent").tags("app", "mine").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void anOpenTelemetryBeanOfTheApiAloneIsEnough() {
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop).run(context ->
                assertThat(context).hasSingleBean(OpenTelemetryInterceptor.class).doesNotHaveBean(MicrometerInterceptor.class));
    }
}
