package io.anymq.it.memcached;

import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.memcached.MessagesLostException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kill -9 drill, with memcached's honest outcome: a restart loses everything the server held, so
 * messages confirmed before the kill and not yet consumed are gone. What the drill shows: both sides
 * recover by themselves, every message confirmed after the restart arrives, nothing arrives that was
 * never sent, and the loss is reported to the receiving application (a {@link MessagesLostException}),
 * not hidden and not hung on.
 */
class MemcachedRestartIT {

    /**
     * A receive while the server is away gets nothing until the connection has been lost for the consumer's
     * connection-loss timeout, as on every backend, and then says the connection is lost; once the server is back
     * it receives again. xmemcached refuses every call while it reconnects: each receive threw at once.
     */
    @Test
    void aReceiveWhileTheServerIsAwayGetsNothingUntilTheConnectionLossTimeout() {
        String topic = "away-" + UUID.randomUUID().toString().substring(0, 8);
        try (Broker own = TestBrokers.provide(BrokerKind.MEMCACHED);
             MessagingClient client = Messaging.connect(own.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").connectionLossTimeout(Duration.ofSeconds(4)).build());
            own.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() != Health.State.CONNECTED);
            assertThat(consumer.receive(Duration.ofSeconds(1))).as("within the connection-loss timeout: just nothing").isEmpty();
            assertThatThrownBy(() -> consumer.receive(Duration.ofSeconds(10))).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("connectionLossTimeout");
            own.restart();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> consumer.receive(Duration.ofMillis(200)).isEmpty() && client.health().state() == Health.State.CONNECTED);
            client.producer(topic).send("back").join();
            assertThat(consumer.receive(Duration.ofSeconds(10))).hasValueSatisfying(d -> assertThat(d.message().payloadAsString()).isEqualTo("back"));
        }
    }

    @Test
    void killNineInTheMiddleOfTenThousandMessagesLosesWhatTheServerHeldAndSaysSo() throws Exception {
        int total = 10_000;
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Set<String> confirmedAfterRestart = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<MessagesLostException> reports = new CopyOnWriteArrayList<>();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger failedSends = new AtomicInteger();
        AtomicInteger otherErrors = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        String topic = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        try (Broker own = TestBrokers.provide(BrokerKind.MEMCACHED);
             MessagingClient client = Messaging.connect(own.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "drill").ackTimeout(Duration.ofSeconds(5)).build());
            Thread receiver = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        for (Delivery d : consumer.receive(100, Duration.ofMillis(200))) {
                            deliveries.incrementAndGet();
                            received.add(d.message().id());
                            d.ack();
                        }
                    } catch (MessagesLostException e) {
                        reports.add(e);
                    } catch (RuntimeException serverAway) {
                        otherErrors.incrementAndGet(); // the client reconnects by itself
                    }
                }
            }, "drill-consumer");
            receiver.start();
            Producer producer = client.producer(topic);
            boolean after = false;
            long restartedAt = 0;
            for (int i = 0; i < total; i++) {
                String id = "m-" + i;
                boolean afterRestart = after;
                try {
                    producer.send(Message.builder().payload("x").id(id).build()).whenComplete((r, e) -> {
                        if (e == null) {
                            confirmed.add(id);
                            if (afterRestart) {
                                confirmedAfterRestart.add(id);
                            }
                        } else {
                            failedSends.incrementAndGet();
                        }
                    });
                } catch (RuntimeException e) {
                    failedSends.incrementAndGet();
                }
                if (i == total / 3) {
                    producer.flush();
                    own.kill();
                    own.restart();
                    after = true;
                    restartedAt = System.nanoTime();
                }
            }
            producer.close(Duration.ofSeconds(30));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> received.containsAll(confirmedAfterRestart));
                // whatever is still on its way arrives within a few polls; then the counts are final
                Thread.sleep(1000);
            } finally {
                stop.set(true);
                receiver.join(5000);
            }
            Set<String> lost = new HashSet<>(confirmed);
            lost.removeAll(received);
            Set<String> invented = new HashSet<>(received);
            invented.removeIf(id -> id.startsWith("m-") && Integer.parseInt(id.substring(2)) < total);
            long reportedBound = reports.stream().mapToLong(MessagesLostException::lost).sum();
            System.out.println("memcached kill -9: " + total + " sent, " + confirmed.size() + " confirmed (" + confirmedAfterRestart.size()
                    + " after the restart), " + failedSends.get() + " failed sends, " + received.size() + " received, "
                    + (deliveries.get() - received.size()) + " duplicate deliveries, " + lost.size()
                    + " confirmed but lost with the server's memory, " + reports.size() + " loss report(s) (unsettled at the last look: "
                    + reportedBound + "), " + otherErrors.get() + " other receive errors while the server was away; the drill ended "
                    + (System.nanoTime() - restartedAt) / 1_000_000 + " ms after the restart");
            reports.forEach(r -> System.out.println("  reported: " + r.getMessage()));
            assertThat(invented).as("nothing arrives that was never sent").isEmpty();
            assertThat(confirmedAfterRestart).as("the drill sent after the restart").isNotEmpty();
            assertThat(received).as("everything confirmed after the restart arrives").containsAll(confirmedAfterRestart);
            assertThat(reports).as("the receiving application is told that memcached lost the group's data").isNotEmpty();
            assertThat(reports.get(0).getMessage()).contains("restarted");
        }
    }
}
