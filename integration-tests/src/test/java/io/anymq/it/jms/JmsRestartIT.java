package io.anymq.it.jms;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the broker a third of the way into 10,000 messages and a restart on the same port with
 * the same data (the shared drill): nothing whose send completed is lost. One broker at a time.
 */
class JmsRestartIT {

    @Test
    void activeMqClassicSurvivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        drill(BrokerKind.ACTIVEMQ);
    }

    @Test
    void artemisSurvivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        drill(BrokerKind.ARTEMIS);
    }

    @Test
    void hornetQSurvivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        drill(BrokerKind.HORNETQ);
    }

    private static void drill(BrokerKind kind) throws Exception {
        try (Broker own = TestBrokers.provide(kind)) {
            String topic = JmsBackendTests.fresh("restart");
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url(), topic, 10_000);
            System.out.println(kind.id() + " kill -9: " + r);
            assertThat(r.received()).containsAll(r.confirmed());
            assertThat(r.confirmed().size()).isGreaterThan(r.sent() / 2);
        }
    }
}
