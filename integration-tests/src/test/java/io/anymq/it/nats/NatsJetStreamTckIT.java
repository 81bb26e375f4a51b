package io.anymq.it.nats;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on JetStream (at-least-once). */
class NatsJetStreamTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.NATS);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?jetstream=true");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("nats-jetstream").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
