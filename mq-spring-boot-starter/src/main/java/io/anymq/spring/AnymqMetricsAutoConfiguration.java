package io.anymq.spring;

import io.anymq.MessagingClient;
import io.anymq.micrometer.MicrometerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Micrometer metrics for the anymq client: where {@code io.anymq:mq-micrometer} is on the class path and the
 * application has a {@link MeterRegistry} bean (Actuator makes one), a {@link MicrometerInterceptor} bean that
 * {@link AnymqAutoConfiguration} installs in the client. Off with {@code anymq.metrics.enabled=false}; replaced by
 * a {@code MicrometerInterceptor} bean of the application's own (built with tags, percentiles, ...).
 */
@AutoConfiguration(before = AnymqAutoConfiguration.class,
        afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MessagingClient.class, MicrometerInterceptor.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = AnymqProperties.PREFIX, name = AnymqProperties.METRICS_ENABLED, havingValue = "true", matchIfMissing = true)
public class AnymqMetricsAutoConfiguration {

    /** Made by Spring. */
    public AnymqMetricsAutoConfiguration() {
    }

    /**
     * The interceptor, with its defaults; installed first (it times what the later ones do too).
     *
     * @param registry the application's registry
     * @return the interceptor
     */
    @Bean
    @ConditionalOnMissingBean
    @Order(Ordered.HIGHEST_PRECEDENCE + 100)
    public MicrometerInterceptor anymqMicrometerInterceptor(MeterRegistry registry) {
        return MicrometerInterceptor.create(registry);
    }
}
