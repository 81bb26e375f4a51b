package io.anymq.it.memcached;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on Memcached started by the harness with -M (no eviction): AT_LEAST_ONCE is declared. */
class MemcachedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.MEMCACHED);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?eviction=refuse");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("memcached").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
