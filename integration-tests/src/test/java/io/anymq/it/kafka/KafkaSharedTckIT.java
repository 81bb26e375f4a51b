package io.anymq.it.kafka;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The conformance suite on Kafka in mode=shared. */
class KafkaSharedTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.KAFKA);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "?mode=shared");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("kafka-shared").build();
    }

    /**
     * A known gap, shown in the capability report as not run with this reason: members that live ~200 ms
     * each use up the records' delivery attempts (the broker counts a record taken by a member that then
     * leaves), and at the broker's delivery limit (group.share.delivery.count.limit, 5) Kafka archives a
     * record without dead-lettering it. Runs of this scenario received 103 to 1,000 of 1,000. See the
     * mq-kafka README ("share groups: members that come and go").
     */
    @Override
    @Test
    @Disabled("known gap: short-lived share-group members use up delivery attempts; Kafka archives records at its delivery limit")
    public void membersReopenedTwentyTimesDuringAStreamLoseNothing() {
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
