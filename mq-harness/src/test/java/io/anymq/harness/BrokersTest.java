package io.anymq.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokersTest {
    @Test
    void theHarnessAloneHasNoContainerProviderAndNoContainerLibrary() {
        assertThat(Brokers.containerProvider()).isEmpty();
        assertThat(getClass().getClassLoader().getResource("org/testcontainers/DockerClientFactory.class"))
                .as("Testcontainers is mq-harness-testcontainers' dependency, not mq-harness'").isNull();
    }
}
