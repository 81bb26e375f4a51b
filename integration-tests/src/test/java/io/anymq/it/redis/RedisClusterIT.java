package io.anymq.it.redis;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.RedisClusterBroker;
import io.anymq.it.BrokerRestartDrill;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mq-redis on a Redis Cluster of 3 masters: topics spread over every master while each topic's keys
 * stay in one slot, and kill -9 of the whole cluster in the middle of 10,000 messages in each mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterIT {
    private RedisClusterBroker cluster;

    @BeforeAll
    void start() {
        cluster = (RedisClusterBroker) new RedisClusterBroker(BrokerOptions.defaults(), 3).start();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "list", "zset"})
    void topicsSpreadOverEveryMasterWhileEachTopicStaysInOneSlot(String mode) {
        RedisClusterClient nativeClient = RedisClusterClient.create(cluster.url().replace("redis-cluster://", "redis://").split(",")[0]);
        try (StatefulRedisClusterConnection<String, String> nc = nativeClient.connect();
             MessagingClient client = Messaging.connect(cluster.url() + "?mode=" + mode)) {
            assertThat(client.capabilities().has(Capability.PERSISTENCE)).as("every master runs AOF appendfsync always").isTrue();
            assertThat(client.unwrap(RedisClusterClient.class)).isNotNull();
            Set<String> masters = new HashSet<>();
            for (int t = 0; t < 30; t++) {
                String topic = fresh("spread");
                Consumer c = client.consumer(topic, "g");
                try (Producer p = client.producer(topic)) {
                    p.send("to " + topic).join();
                }
                Delivery d = c.receive(Duration.ofSeconds(10)).orElseThrow();
                assertThat(d.message().payloadAsString()).isEqualTo("to " + topic);
                d.ack().join();
                c.close();
                List<String> keys = nc.sync().keys("anymq:{" + topic + "}:*");
                assertThat(keys).isNotEmpty();
                Set<Long> slots = new HashSet<>();
                keys.forEach(k -> slots.add(nc.sync().clusterKeyslot(k)));
                assertThat(slots).as("slots of %s", keys).hasSize(1);
                RedisClusterNode node = nc.getPartitions().getPartitionBySlot(slots.iterator().next().intValue());
                masters.add(node.getNodeId());
            }
            assertThat(masters).as("masters that hold a topic").hasSize(3);
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "list", "zset"})
    void survivesKillNineOfTheWholeClusterInTheMiddleOfTenThousandMessages(String mode) throws Exception {
        BrokerRestartDrill.Result r = BrokerRestartDrill.run(cluster, cluster.url() + "?mode=" + mode, fresh("restart-" + mode), 10_000);
        System.out.println("redis cluster " + mode + " kill -9: " + r);
        r.assertRecovered("redis cluster " + mode + " kill -9");
    }

    @Test
    void aClusterHasOnlyDatabaseZero() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Messaging.connect(cluster.url() + "/1"))
                .isInstanceOf(io.anymq.ConfigurationException.class).hasMessageContaining("database");
    }
}
