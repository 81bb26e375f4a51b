package io.anymq.spring;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.MessagingInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The anymq auto-configuration: a {@link MessagingConfig} from {@code anymq.url} and the
 * {@code anymq.*} properties ({@link AnymqProperties}), and a connected {@link MessagingClient}
 * made from it, closed with the application context. Either bean can be replaced by declaring one
 * of the same type.
 *
 * <p>Producers and consumers come from the client; declared as {@code @Bean} methods they are
 * closed with the context too (Spring calls {@code close()} on them). A push subscription that
 * starts and stops with the context is a {@link ManagedSubscription} bean.
 */
@AutoConfiguration
@ConditionalOnClass(MessagingClient.class)
public class AnymqAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AnymqAutoConfiguration.class);

    /** Made by Spring. */
    public AnymqAutoConfiguration() {
    }

    /**
     * The URL and options from the environment, with every {@link MessagingInterceptor} bean installed in their
     * {@code @Order} (the starter's Micrometer interceptor first, then its OpenTelemetry one, when they are made).
     *
     * @param environment Spring's environment
     * @param interceptors the application's interceptor beans
     * @return the configuration the client connects with
     */
    @Bean
    @ConditionalOnMissingBean
    public MessagingConfig anymqMessagingConfig(Environment environment, ObjectProvider<MessagingInterceptor> interceptors) {
        return AnymqProperties.messagingConfig(environment, System.getenv(), interceptors.orderedStream().toList());
    }

    /**
     * The client, connected when the context starts; the context's close closes it (and with it
     * every producer and consumer it made).
     *
     * @param config the URL and options
     * @return the connected client
     * @throws io.anymq.ConfigurationException an {@code anymq.*} property is not an option of the
     *                                         URL's provider, or has a bad value
     * @throws io.anymq.ConnectionException    the broker cannot be reached
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MessagingClient anymqMessagingClient(MessagingConfig config) {
        MessagingClient client = Messaging.connect(config);
        LOG.info("anymq: connected to {} through the {} provider", config.url(), client.provider());
        return client;
    }
}
