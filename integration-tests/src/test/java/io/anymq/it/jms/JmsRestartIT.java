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
import java.util.concurrent.CountDownLatch;
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

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anActiveMqClassicClientWhoseBrokerIsAwayFailsInTimeToMakeAConsumerSendOrCommit() throws Exception {
        workWhileAway(BrokerKind.ACTIVEMQ);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anArtemisClientWhoseBrokerIsAwayFailsInTimeToMakeAConsumerSendOrCommit() throws Exception {
        workWhileAway(BrokerKind.ARTEMIS);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aHornetQClientWhoseBrokerIsAwayFailsInTimeToMakeAConsumerSendOrCommit() throws Exception {
        workWhileAway(BrokerKind.HORNETQ);
    }

    /**
     * With the broker stopped (and a send timeout of 5 s): a new consumer, a new producer's first send, sends from
     * four threads at once (more than the client's idle sending sessions, so new sessions are made) and a
     * transaction's commit each end with a typed error within the send timeout and some seconds (twice the send
     * timeout for a send on a session Artemis' client has, see the README), and the client closes. ActiveMQ Classic's failover
     * transport held every command but messages, acks and removals until the broker came back: a consumer's creation,
     * a new sending session, a commit waited for ever; so did Artemis' and HornetQ's clients (a session's creation
     * waits behind their failover lock). And a failed send's session, let go while the connection is lost, told the
     * server its producer was closed and waited for the failover a send timeout more (Artemis, HornetQ).
     */
    private static void workWhileAway(BrokerKind kind) throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "away-caller");
            t.setDaemon(true); // a call that hangs must not hold the test JVM
            return t;
        });
        Duration bound = Duration.ofSeconds(5 + 3);
        try (Broker own = TestBrokers.provide(kind)) {
            String topic = JmsBackendTests.fresh("awaywork");
            MessagingClient client = Messaging.connect(own.url() + "?send-timeout=5s");
            Producer producer = client.producer(topic);
            producer.send("before").join();
            own.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.health().state() != Health.State.CONNECTED);

            CompletableFuture<Consumer> consumer = CompletableFuture.supplyAsync(() -> client.consumer(JmsBackendTests.fresh("awaynew"), "g"), callers);
            assertThat(consumer).as("a consumer made while the broker is away").failsWithin(bound)
                    .withThrowableThat().havingCause().isInstanceOf(MessagingException.class);

            // a new producer's first send: the idle sending session is lent, the topic cannot be looked up, the session is let go
            Producer another = client.producer(JmsBackendTests.fresh("awayother"));
            CompletableFuture<Receipt> first = CompletableFuture.supplyAsync(() -> another.send("first"), callers).thenCompose(f -> f);
            assertThat(first).as("a new producer's first send while the broker is away").failsWithin(bound)
                    .withThrowableThat().havingCause().isInstanceOf(MessagingException.class);

            java.util.List<CompletableFuture<Receipt>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                sends.add(CompletableFuture.supplyAsync(() -> producer.send("during-" + n), callers).thenCompose(f -> f));
            }
            for (CompletableFuture<Receipt> send : sends) { // an Artemis send on a session it has waits up to twice the send timeout
                assertThat(send).as("a send while the broker is away").failsWithin(bound.plusSeconds(5))
                        .withThrowableThat().havingCause().isInstanceOf(MessagingException.class);
            }

            CompletableFuture<Object> commit = CompletableFuture.supplyAsync(() -> client.inTransaction(tx -> tx.send(topic, io.anymq.Message.of("in-tx"))), callers);
            assertThat(commit).as("a transaction committed while the broker is away").failsWithin(bound)
                    .withThrowableThat().havingCause().isInstanceOf(MessagingException.class);

            CompletableFuture<Void> close = CompletableFuture.runAsync(client::close, callers);
            assertThat(close).as("the client's close").succeedsWithin(Duration.ofSeconds(30));
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * A client with a receiving member, a push subscription whose handler acknowledges while the broker is away (a
     * settlement under way at the close) and a producer whose send is under way, closed while its broker is stopped:
     * the close returns within the producer's close timeout, the consumer's wait for its settlements (10 s) and some
     * seconds, the send under way fails and the acknowledgement is settled one way or the other. The Artemis client
     * asked the broker to close each consumer and session, and waited for the reconnection and then an answer each
     * time: over 150 s, for as long as the broker stayed away; and an acknowledgement waiting for the reconnection
     * held the consumer's close for the whole send timeout after that (45 s in all, Artemis and HornetQ). With the
     * default settings (close and send timeouts of 30 s) such a close takes up to 40 s on every JMS broker.
     */
    private static void closeWhileAway(BrokerKind kind, String options) throws Exception {
        try (Broker own = TestBrokers.provide(kind)) {
            String topic = JmsBackendTests.fresh("away");
            MessagingClient client = Messaging.connect(own.url() + options);
            Consumer polled = client.consumer(topic, "polled");
            CountDownLatch received = new CountDownLatch(1);
            CountDownLatch away = new CountDownLatch(1);
            CompletableFuture<CompletableFuture<Void>> ack = new CompletableFuture<>();
            client.consumer(topic, "pushed").subscribe(d -> {
                received.countDown();
                awaitQuietly(away);
                ack.complete(d.ack());
            });
            Producer producer = client.producer(ProducerOptions.builder(topic).closeTimeout(Duration.ofSeconds(5)).build());
            producer.send("before").join();
            assertThat(polled.receive(Duration.ofSeconds(20))).isPresent().get().satisfies(d -> d.ack().join());
            assertThat(received.await(20, TimeUnit.SECONDS)).as("the push subscription got the message").isTrue();
            own.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.health().state() != Health.State.CONNECTED);
            away.countDown();
            CompletableFuture<Void> ackWhileAway = ack.get(10, TimeUnit.SECONDS);
            Thread.sleep(300); // the acknowledgement reaches the client, which holds it until the broker is back
            CompletableFuture<Receipt> during = CompletableFuture.supplyAsync(() -> producer.send("during")).thenCompose(f -> f);
            long t0 = System.nanoTime();
            client.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println(kind.id() + ": a client closed while its broker is away closed in " + took.toMillis() + " ms");
            assertThat(took).as("the close of a client whose broker is away").isLessThan(Duration.ofSeconds(25));
            assertThat(ackWhileAway).as("the acknowledgement asked while the broker was away, after the close").isDone();
            assertThat(during).failsWithin(Duration.ofSeconds(35)).withThrowableThat().havingCause().isInstanceOf(MessagingException.class);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drill(BrokerKind kind) throws Exception {
        try (Broker own = TestBrokers.provide(kind)) {
            String topic = JmsBackendTests.fresh("restart");
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url(), topic, 10_000);
            System.out.println(kind.id() + " kill -9: " + r);
            r.assertRecovered(kind.id() + " kill -9");
        }
    }
}
