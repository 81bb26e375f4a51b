package io.anymq.spring;

import io.anymq.MessagingConfig;
import io.anymq.MessagingInterceptor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.Map;

/**
 * Turns the Spring {@link Environment} into a {@link MessagingConfig}: {@code anymq.url} is the URL,
 * and every other property under {@code anymq.} is an option of the same name, exactly as it would
 * be written in the URL's query ({@code anymq.connect-timeout=5s} is {@code ?connect-timeout=5s},
 * {@code anymq.kafka.linger.ms=5} is {@code ?kafka.linger.ms=5}).
 *
 * <p>The process environment's {@code MQ_URL} and {@code MQ_*} variables come first, as for
 * {@link io.anymq.Messaging#connect(String)}; the URL's query comes next, and the {@code anymq.*}
 * properties win over both. Nothing is checked here: {@link io.anymq.Messaging#connect(MessagingConfig)}
 * checks every option against the provider's declared options, so an unknown {@code anymq.*}
 * property fails the way an unknown URL option does.
 */
public final class AnymqProperties {
    /** The prefix of every property the starter reads. */
    public static final String PREFIX = "anymq";
    /** {@code anymq.metrics.enabled}: the starter's own switch (not an option): false keeps the Micrometer interceptor out. */
    public static final String METRICS_ENABLED = "metrics.enabled";
    /** {@code anymq.tracing.enabled}: the starter's own switch (not an option): false keeps the OpenTelemetry interceptor out. */
    public static final String TRACING_ENABLED = "tracing.enabled";

    private AnymqProperties() {
    }

    /**
     * The configuration from Spring's environment and the process environment.
     *
     * @param environment Spring's environment (property files, system properties, {@code ANYMQ_*} variables, ...)
     * @return the URL and options; {@code mem:} when neither {@code anymq.url} nor {@code MQ_URL} names one
     * @throws io.anymq.MalformedUrlException the URL does not parse
     */
    public static MessagingConfig messagingConfig(Environment environment) {
        return messagingConfig(environment, System.getenv());
    }

    /** As {@link #messagingConfig(Environment)}, with the process environment given (for tests). */
    static MessagingConfig messagingConfig(Environment environment, Map<String, String> processEnvironment) {
        return messagingConfig(environment, processEnvironment, List.of());
    }

    /** As {@link #messagingConfig(Environment, Map)}, with these interceptors installed in order. */
    static MessagingConfig messagingConfig(Environment environment, Map<String, String> processEnvironment,
                                           List<MessagingInterceptor> interceptors) {
        Map<String, String> properties = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        MessagingConfig.Builder builder = MessagingConfig.builder().environment(processEnvironment).interceptors(interceptors);
        // "url" sets the URL (MessagingConfig.URL_KEY); the starter's own switches are not options; every other key is one
        properties.forEach((key, value) -> {
            if (!key.equals(METRICS_ENABLED) && !key.equals(TRACING_ENABLED)) {
                builder.option(key, value);
            }
        });
        return builder.build();
    }
}
