package io.anymq.it.jms;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on the harness's HornetQ 2.4.7 server through the hornetq:// dialect of mq-jms. */
class JmsHornetQTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.HORNETQ);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url());
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("jms-hornetq").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
