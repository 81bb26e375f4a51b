package io.anymq.it.redis;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on the Redis Zset mode (the harness's Redis runs AOF with appendfsync always). */
class RedisZsetTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.REDIS);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?mode=zset");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("redis-zset").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
