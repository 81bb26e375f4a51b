package io.anymq.it.pulsar;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite on Pulsar in mode=shared. */
class PulsarSharedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.PULSAR);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?mode=shared");
    }

    /**
     * A message given back after the ack timeout may land in the read-ahead queue of any member,
     * the holder's too, and comes out on that member's next receive: the suite's
     * ackTimeoutRedeliversToHolder(true) accepts either member, as that is what Pulsar does.
     */
    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("pulsar-shared").ackTimeoutRedeliversToHolder(true).build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
