package io.anymq.it.health;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HealthDrill} on every backend (run with {@code -Pdrills}: eleven broker kills and restarts take minutes; the suite checks health on every backend in every build): kill -9 of its broker, health leaves CONNECTED within a bound
 * naming the broker, a receive throws after the connection-loss timeout, and after a restart on the
 * same port health is CONNECTED again and the same consumer receives. One broker at a time.
 */
class HealthRestartDrill {

    private static void drill(BrokerKind kind, String query, Duration lossBound) throws Exception {
        try (Broker own = TestBrokers.provide(kind)) {
            TestBrokers.requireKillable(own);
            HealthDrill.Result r = HealthDrill.run(own, own.url() + query, HealthDrill.fresh("health"), lossBound);
            System.out.println("health " + kind.id() + query + ": " + r);
            assertThat(r.toLeaveConnected()).isLessThanOrEqualTo(lossBound);
        }
    }

    @Test
    void natsCore() throws Exception {
        drill(BrokerKind.NATS, "", Duration.ofSeconds(5));
    }

    @Test
    void natsJetStream() throws Exception {
        drill(BrokerKind.NATS, "?jetstream=true", Duration.ofSeconds(5));
    }

    @Test
    void rabbitMq() throws Exception {
        drill(BrokerKind.RABBITMQ, "", Duration.ofSeconds(10));
    }

    @Test
    void redis() throws Exception {
        drill(BrokerKind.REDIS, "", Duration.ofSeconds(10));
    }

    @Test
    void kafka() throws Exception {
        // no listener: a metadata request every second at most, 5 s to answer
        drill(BrokerKind.KAFKA, "", Duration.ofSeconds(15));
    }

    @Test
    void pulsar() throws Exception {
        drill(BrokerKind.PULSAR, "", Duration.ofSeconds(15));
    }

    @Test
    void rocketMq() throws Exception {
        drill(BrokerKind.ROCKETMQ, "", Duration.ofSeconds(10));
    }

    @Test
    void activeMq() throws Exception {
        drill(BrokerKind.ACTIVEMQ, "", Duration.ofSeconds(10));
    }

    @Test
    void artemis() throws Exception {
        drill(BrokerKind.ARTEMIS, "", Duration.ofSeconds(10));
    }

    @Test
    void hornetQ() throws Exception {
        drill(BrokerKind.HORNETQ, "", Duration.ofSeconds(10));
    }

    @Test
    void memcached() throws Exception {
        drill(BrokerKind.MEMCACHED, "", Duration.ofSeconds(10));
    }
}
