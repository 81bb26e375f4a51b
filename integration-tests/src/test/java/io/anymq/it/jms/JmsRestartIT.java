package io.anymq.it.jms;

import io.anymq.Consumer;
import io.anymq.Health;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.ProducerOptions;
import io.anymq.Receipt;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the broker a third of the way into 10,000 messages and a restart on the same port with
 * the same data (the shared drill): nothing whose send completed is lost. And a client closed while its
 * broker is away closes within its producers' close timeout. One broker at a time.
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

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anActiveMqClassicClientClosedWhileItsBrokerIsAwayClosesInTime() throws Exception {
        // a send under way holds ActiveMQ's transport while its failover waits for the broker (up to the send timeout):
        // the consumers' closes wait for it, so the close takes up to the send timeout, here made as short as the close timeout
        closeWhileAway(BrokerKind.ACTIVEMQ, "?send-timeout=5s");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anArtemisClientClosedWhileItsBrokerIsAwayClosesInTime() throws Exception {
        closeWhileAway(BrokerKind.ARTEMIS, "");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aHornetQClientClosedWhileItsBrokerIsAwayClosesInTime() throws Exception {
        closeWhileAway(BrokerKind.HORNETQ, "");
    }

    /**
     * A client with a receiving member, a push subscription and a producer whose send is under way, closed while
     * its broker is stopped: the close returns within the producer's close timeout and some seconds (the Artemis
     * client asked the broker to close each consumer and session, and waited for the reconnection and then an
     * answer each time: over 150 s, for as long as the broker stayed away), and the send under way fails. With the
     * default settings (close and send timeouts of 30 s) such a close takes up to 30 s on every JMS broker.
     */
    private static void closeWhileAway(BrokerKind kind, String options) throws Exception {
        try (Broker own = TestBrokers.provide(kind)) {
            String topic = JmsBackendTests.fresh("away");
            MessagingClient client = Messaging.connect(own.url() + options);
            Consumer polled = client.consumer(topic, "polled");
            client.consumer(topic, "pushed").subscribe(d -> d.ack());
            Producer producer = client.producer(ProducerOptions.builder(topic).closeTimeout(Duration.ofSeconds(5)).build());
            producer.send("before").join();
            assertThat(polled.receive(Duration.ofSeconds(20))).isPresent().get().satisfies(d -> d.ack().join());
            own.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.health().state() != Health.State.CONNECTED);
            CompletableFuture<Receipt> during = CompletableFuture.supplyAsync(() -> producer.send("during")).thenCompose(f -> f);
            long t0 = System.nanoTime();
            client.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println(kind.id() + ": a client closed while its broker is away closed in " + took.toMillis() + " ms");
            assertThat(took).as("the close of a client whose broker is away").isLessThan(Duration.ofSeconds(25));
            assertThat(during).failsWithin(Duration.ofSeconds(35)).withThrowableThat().havingCause().isInstanceOf(MessagingException.class);
        }
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
