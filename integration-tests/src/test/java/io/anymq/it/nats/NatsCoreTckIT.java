package io.anymq.it.nats;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on core NATS (at-most-once): what it declares passes, the rest is refused. */
class NatsCoreTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.NATS);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url());
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("nats-core").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
