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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The conformance suite on Kafka in mode=shared. */
@HeavyBrokers
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
     * A known gap of Kafka share groups, shown in the capability report as not run with this reason. The broker
     * counts a delivery when it acquires a record for a member, and since KAFKA-19972 (in the 4.4 broker the harness
     * runs) keeps the count when the member leaves without acknowledging it. A member that lives ~200 ms leaves
     * most of its fetch (up to maxInFlight, 256) behind, the next member takes the same lowest offsets, and at the
     * group's delivery limit (5) Kafka archives them without a dead letter. Runs on Kafka 4.4.0: 991, 997 and
     * 1,000 of 1,000 received; 998 with the group's share.delivery.count.limit at 10. No acknowledged record is
     * lost. See the mq-kafka README ("Known gap: share-group members that come and go quickly").
     */
    @Override
    @Test
    @Disabled("Kafka 4.4 share groups: a member leaving with records it never handed out uses up their delivery attempts "
            + "(KAFKA-19972); at the delivery limit Kafka archives them without a dead letter")
    public void membersReopenedTwentyTimesDuringAStreamLoseNothing() {
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
