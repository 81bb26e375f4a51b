package io.anymq.spring;

import io.anymq.MessagingClient;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.health.CompositeHealthContributorConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code anymq} health contributor, where Actuator is on the class path and there is a
 * {@link MessagingClient} bean: one {@link AnymqHealthIndicator} per client (a composite, named by
 * bean, when there are several). Off with {@code management.health.anymq.enabled=false}; replaced
 * by a bean named {@code anymqHealthIndicator} or {@code anymqHealthContributor}.
 */
@AutoConfiguration(after = AnymqAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, MessagingClient.class})
@ConditionalOnBean(MessagingClient.class)
@ConditionalOnEnabledHealthIndicator("anymq")
public class AnymqHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<AnymqHealthIndicator, MessagingClient> {

    /** Made by Spring. */
    public AnymqHealthContributorAutoConfiguration() {
        super(AnymqHealthIndicator::new);
    }

    /**
     * The contributor.
     *
     * @param beanFactory where the clients are found
     * @return one indicator, or a composite of one per client
     */
    @Bean
    @ConditionalOnMissingBean(name = {"anymqHealthIndicator", "anymqHealthContributor"})
    public HealthContributor anymqHealthContributor(ConfigurableListableBeanFactory beanFactory) {
        return createContributor(beanFactory, MessagingClient.class);
    }
}
