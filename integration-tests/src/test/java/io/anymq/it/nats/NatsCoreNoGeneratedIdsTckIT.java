package io.anymq.it.nats;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite on core NATS with {@code send-generated-ids=false}: a message given no id travels as its
 * payload alone and is named on arrival, so the suite does not ask a generated id to arrive; everything else holds.
 */
class NatsCoreNoGeneratedIdsTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.NATS);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?send-generated-ids=false");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("nats-core-no-generated-ids").generatedIdsArrive(false).build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
