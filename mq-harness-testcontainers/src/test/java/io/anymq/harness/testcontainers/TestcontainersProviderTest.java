package io.anymq.harness.testcontainers;

import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.ContainerProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class TestcontainersProviderTest {
    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ContainerProvider.class).findFirst())
                .get().isInstanceOf(TestcontainersProvider.class);
    }

    @Test
    void supportsDefaultOptionsOnlyAndNotRocketMq() {
        TestcontainersProvider p = new TestcontainersProvider();
        assertThat(p.supports(BrokerKind.KAFKA, BrokerOptions.defaults())).isTrue();
        assertThat(p.supports(BrokerKind.KAFKA, BrokerOptions.defaults().withTls())).isFalse();
        assertThat(p.supports(BrokerKind.REDIS, BrokerOptions.defaults().withUser("u", "p"))).isFalse();
        assertThat(p.supports(BrokerKind.ROCKETMQ, BrokerOptions.defaults())).isFalse();
    }

    @Test
    void withoutADockerSocketOrHostNoEngineIsAvailable() {
        boolean noDocker = System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"));
        if (noDocker) {
            assertThat(new TestcontainersProvider().available()).isFalse();
        }
    }
}
