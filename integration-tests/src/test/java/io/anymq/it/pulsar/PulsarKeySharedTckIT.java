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

/** The conformance suite on Pulsar in mode=key_shared. */
@HeavyBrokers
class PulsarKeySharedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.PULSAR);

    @Override
    protected MessagingClient createClient() {
        // transactions on: the harness broker runs the transaction coordinator; the harness's admin API is not on the
        // default port 8080, and StartPosition.at asks it whether a subscription exists
        return Messaging.connect(broker.url() + "?mode=key_shared&transactions=true&admin-url=" + broker.nativeProperties().get("adminUrl"));
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("pulsar-key-shared").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
