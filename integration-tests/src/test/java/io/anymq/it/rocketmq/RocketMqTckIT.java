package io.anymq.it.rocketmq;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;

/**
 * The conformance suite on RocketMQ 5.3.3 (name server + proxy in local mode). The ack timeout is the
 * proxy's minimum invisible time (10 s); the broker's revive service redelivers at a granularity of
 * seconds, so the receive timeout is long.
 */
class RocketMqTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.ROCKETMQ);

    static String url(Broker broker) {
        return broker.url(); // the proxy's endpoint with ?namesrv=
    }

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(url(broker));
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("rocketmq").ackTimeout(Duration.ofSeconds(10))
                .receiveTimeout(Duration.ofSeconds(40)).absenceWait(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
