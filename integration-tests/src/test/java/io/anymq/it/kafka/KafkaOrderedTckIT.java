package io.anymq.it.kafka;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on Kafka in mode=ordered. */
@HeavyBrokers
class KafkaOrderedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.KAFKA);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?mode=ordered");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("kafka-ordered").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
