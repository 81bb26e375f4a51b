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

    /**
     * A known limit of the share-group driver, shown in the capability report as not run with this reason. A share
     * consumer's fetch is {@code max.poll.records} (the consumer's maxInFlight, 256), fixed when it is made, so the
     * subscription's pacing cannot make it smaller: 60 records of one key fetched at once, all for one handler of
     * 100 ms, outlast a 2 s record lock; the driver gives back the records it cannot hand out in time, and the ones at
     * the edge are still refused at the ack: 2 of 60 in the full run of 2026-12-03 (the 4-handler scenario: 0 of 240).
     * Everything is acked in the end. See the mq-kafka README (share groups, push subscriptions).
     */
    @Override
    @Test
    @Disabled("Kafka share groups fetch max.poll.records (maxInFlight) at once, fixed when the share consumer is made: a "
            + "one-key backlog for one handler outlasts the record locks at the edge (2 of 60 acks refused at a 2 s lock)")
    public void aBacklogOfOneKeyForHandlersSerialPerKeyIsWorkedThrough() {
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
