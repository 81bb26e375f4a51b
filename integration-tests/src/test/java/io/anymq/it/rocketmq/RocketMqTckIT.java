package io.anymq.it.rocketmq;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.RocketMqBroker;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;

/**
 * The conformance suite on RocketMQ 5.3.3 (name server + proxy in local mode). The harness' proxy takes
 * invisible times from 1 s (RocketMQ's default minimum is 10 s), so the suite's URL says
 * {@code min-ack-timeout=1s} and the suite's ack timeout is its default, 2 s; the broker's revive service
 * redelivers at a granularity of seconds, so the receive timeout is long.
 */
@HeavyBrokers
class RocketMqTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.ROCKETMQ);

    /** The proxy's endpoint with {@code ?namesrv=}, and the proxy's shortest invisible time as the client's minimum. */
    static String url(Broker broker) {
        return broker.url() + "&min-ack-timeout=" + RocketMqBroker.MIN_INVISIBLE_MILLIS + "ms";
    }

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(url(broker));
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("rocketmq")
                .receiveTimeout(Duration.ofSeconds(40)).absenceWait(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
