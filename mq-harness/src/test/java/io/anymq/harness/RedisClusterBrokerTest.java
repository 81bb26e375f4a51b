package io.anymq.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a Redis Cluster of the harness looks like before it starts (no processes). */
class RedisClusterBrokerTest {

    @Test
    void threeMastersOnDistinctPortsUnderOneUrl() {
        RedisClusterBroker b = new RedisClusterBroker(BrokerOptions.defaults().withBaseDir(Path.of("target", "cluster-test")), 3);
        assertThat(b.ports()).hasSize(3).doesNotHaveDuplicates().startsWith(b.port());
        assertThat(b.url()).startsWith("redis-cluster://127.0.0.1:" + b.port() + ",").contains("127.0.0.1:" + b.ports().get(2));
        assertThat(b.kind()).isEqualTo(BrokerKind.REDIS);
    }

    @Test
    void refusesWhatItCannotStart() {
        assertThatThrownBy(() -> new RedisClusterBroker(BrokerOptions.defaults(), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisClusterBroker(BrokerOptions.defaults().withTls(), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisClusterBroker(BrokerOptions.defaults().withUser("a", "b"), 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
