package io.anymq.it.pulsar;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on Pulsar in mode=failover, on topics of 4 partitions (one active member per partition). */
@HeavyBrokers
class PulsarFailoverTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.PULSAR);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?mode=failover&partitions=4&admin-url=" + broker.nativeProperties().get("adminUrl"));
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("pulsar-failover").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
