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

import java.util.Map;

/** The conformance suite on Pulsar in mode=shared. */
@HeavyBrokers
class PulsarSharedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.PULSAR);

    /** Transactions on: the harness broker runs the transaction coordinator; the harness's admin API is not on the
     * default port 8080, and StartPosition.at asks it whether a subscription exists. */
    private String url() {
        return broker.url() + "?mode=shared&transactions=true&admin-url=" + broker.nativeProperties().get("adminUrl");
    }

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(url());
    }

    /** The crash-before-commit scenarios run here in every build (Pulsar gives a dead client's deliveries back at once). */
    @Override
    protected Map<String, String> childClientConfig() {
        return Map.of("url", url());
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("pulsar-shared").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
