package io.anymq.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerOptionsTest {

    @Test
    void optionsNeverShowThePasswordAndCheckTheirInput() {
        BrokerOptions o = BrokerOptions.defaults().withUser("app", "s3cret").withTls().withPort(4222);
        assertThat(o.toString()).doesNotContain("s3cret").contains("app").contains("4222");
        assertThat(o.baseDir()).isEqualTo(Path.of("target", "brokers"));
        assertThatThrownBy(() -> BrokerOptions.defaults().withPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.withAdvertisedPort(4333).toString()).contains("advertisedPort=4333");
        assertThat(o.withAdvertisedPort(4333).withUser("b", "c").advertisedPort()).isEqualTo(4333);
        assertThatThrownBy(() -> BrokerOptions.defaults().withAdvertisedPort(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Brokers.provide(BrokerKind.REDIS, BrokerOptions.defaults().withAdvertisedPort(4333)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Kafka and RocketMQ");
        assertThatThrownBy(() -> BrokerOptions.defaults().withUser("app", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsHaveTheirNamesAndSettings() {
        assertThat(BrokerKind.of("Kafka")).isEqualTo(BrokerKind.KAFKA);
        assertThat(BrokerKind.KAFKA.envVar()).isEqualTo("MQ_IT_KAFKA_URL");
        assertThat(BrokerKind.KAFKA.systemProperty()).isEqualTo("mq.it.kafka.url");
        assertThat(BrokerKind.MEMCACHED.persistent()).isFalse();
        assertThatThrownBy(() -> BrokerKind.of("kafak")).hasMessageContaining("kafka");
    }

    @Test
    void freePortsAreLoopbackPortsNeverHandedOutTwice() {
        int a = FreePorts.next();
        int b = FreePorts.next();
        assertThat(a).isNotEqualTo(b).isBetween(1, 65535);
    }

    @Test
    void aRedisProbeRoundTripIsWellFormed() {
        assertThat(Probes.resp("AUTH", "ü")).isEqualTo("*2\r\n$4\r\nAUTH\r\n$2\r\nü\r\n");
    }
}
