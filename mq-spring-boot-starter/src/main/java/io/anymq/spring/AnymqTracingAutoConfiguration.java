package io.anymq.spring;

import io.anymq.MessagingClient;
import io.anymq.opentelemetry.OpenTelemetryInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * OpenTelemetry tracing for the anymq client: where {@code io.anymq:mq-opentelemetry} is on the class path and
 * the application has an {@link OpenTelemetry} bean (Actuator's OpenTelemetry support, or the application's own),
 * an {@link OpenTelemetryInterceptor} bean that {@link AnymqAutoConfiguration} installs in the client. Off with
 * {@code anymq.tracing.enabled=false}; replaced by an {@code OpenTelemetryInterceptor} bean of the application's own.
 */
@AutoConfiguration(before = AnymqAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration")
@ConditionalOnClass({MessagingClient.class, OpenTelemetryInterceptor.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(prefix = AnymqProperties.PREFIX, name = AnymqProperties.TRACING_ENABLED, havingValue = "true", matchIfMissing = true)
public class AnymqTracingAutoConfiguration {

    /** Made by Spring. */
    public AnymqTracingAutoConfiguration() {
    }

    /**
     * The interceptor, with its defaults; installed after the metrics one.
     *
     * @param openTelemetry the application's OpenTelemetry
     * @return the interceptor
     */
    @Bean
    @ConditionalOnMissingBean
    @Order(Ordered.HIGHEST_PRECEDENCE + 200)
    public OpenTelemetryInterceptor anymqOpenTelemetryInterceptor(OpenTelemetry openTelemetry) {
        return OpenTelemetryInterceptor.create(openTelemetry);
    }
}
