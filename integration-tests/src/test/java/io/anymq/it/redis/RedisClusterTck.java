package io.anymq.it.redis;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.RedisClusterBroker;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on a Redis Cluster of 3 masters (AOF, appendfsync always) started by the harness, in one mode. */
abstract class RedisClusterTck extends MessagingTck {
    private final RedisClusterBroker cluster = (RedisClusterBroker) new RedisClusterBroker(BrokerOptions.defaults(), 3).start();

    /** stream, list or zset. */
    abstract String mode();

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(cluster.url() + "?mode=" + mode());
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("redis-cluster-" + mode()).build();
    }

    @AfterAll
    void stopCluster() {
        client().close();
        cluster.close();
    }
}
