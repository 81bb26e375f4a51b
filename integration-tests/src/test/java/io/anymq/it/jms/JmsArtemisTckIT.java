package io.anymq.it.jms;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on the harness's artemis broker through the artemis:// dialect of mq-jms. */
class JmsArtemisTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.ARTEMIS);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url());
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("jms-artemis").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
