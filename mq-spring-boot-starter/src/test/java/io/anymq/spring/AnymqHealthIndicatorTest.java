package io.anymq.spring;

import io.anymq.MessagingClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AnymqHealthIndicatorTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AnymqAutoConfiguration.class, AnymqHealthContributorAutoConfiguration.class))
            .withPropertyValues("anymq.url=mem:health-" + UUID.randomUUID().toString().substring(0, 8));

    @Test
    void aConnectedClientIsUpAndAClosedOneOutOfService() {
        runner.run(context -> {
            assertThat(context).hasBean("anymqHealthContributor");
            HealthIndicator indicator = context.getBean("anymqHealthContributor", HealthIndicator.class);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("provider", "mem").containsEntry("state", "CONNECTED")
                    .containsKeys("since", "detail");
            MessagingClient client = context.getBean(MessagingClient.class);
            assertThat(up.getDetails().get("detail")).isEqualTo(client.health().detail());
            client.close();
            Health closed = indicator.health();
            assertThat(closed.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(closed.getDetails()).containsEntry("state", "CLOSED");
        });
    }

    @Test
    void offWhenDisabledOrWithoutActuator() {
        runner.withPropertyValues("management.health.anymq.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(MessagingClient.class).doesNotHaveBean("anymqHealthContributor"));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasSingleBean(MessagingClient.class).doesNotHaveBean("anymqHealthContributor"));
    }
}
