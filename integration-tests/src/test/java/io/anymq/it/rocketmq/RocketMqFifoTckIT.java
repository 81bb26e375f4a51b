package io.anymq.it.rocketmq;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;

/**
 * The conformance suite on RocketMQ 5.3.3 in mode=fifo (name server + proxy in local mode): a keyed
 * message's message group is its key, and a member that asks for key order makes its group a FIFO
 * consumer group. Timings as in {@link RocketMqTckIT}.
 */
@HeavyBrokers
class RocketMqFifoTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.ROCKETMQ);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(RocketMqTckIT.url(broker) + "&mode=fifo");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("rocketmq-fifo")
                .receiveTimeout(Duration.ofSeconds(40)).absenceWait(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
