package io.anymq.it.bridge;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.bridge.Bridge;
import io.anymq.bridge.BridgeProgress;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge between real brokers, one pair at a time: a few thousand messages with binary payloads,
 * keys, Unicode headers, ids and timestamps are sent to the source while the bridge runs, and every
 * one must arrive at the destination byte-exact. Both brokers are started for the test and stopped
 * after it (Kafka and RabbitMQ, both ways, share theirs: {@link BridgeKafkaRabbitMqIT}).
 */
class BridgeIT {
    private static final int MESSAGES = 3000;

    @Test
    void redisStreamsToNatsJetStream() throws Exception {
        try (Broker redis = TestBrokers.provide(BrokerKind.REDIS); Broker nats = TestBrokers.provide(BrokerKind.NATS)) {
            bridge(redis.url(), nats.url() + "?jetstream=true");
        }
    }

    @Test
    void hornetQToArtemis() throws Exception {
        try (Broker hornetq = TestBrokers.provide(BrokerKind.HORNETQ); Broker artemis = TestBrokers.provide(BrokerKind.ARTEMIS)) {
            bridge(hornetq.url(), artemis.url());
        }
    }

    /** Runs the bridge from one URL to the other while the messages are sent, and checks every copy. */
    static void bridge(String sourceUrl, String destinationUrl) throws Exception {
        String topic = "bridge-" + UUID.randomUUID().toString().substring(0, 8);
        try (MessagingClient src = Messaging.connect(sourceUrl);
             MessagingClient dst = Messaging.connect(destinationUrl)) {
            // the checking group exists before the first copy: a destination without replay gets every message too
            Consumer check = dst.consumer(ConsumerOptions.builder(topic + "-copy", "check").startPosition(start(dst)).build());
            Set<String> arrived = ConcurrentHashMap.newKeySet();
            List<AssertionError> wrong = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread checker = new Thread(() -> {
                while (!stop.get()) {
                    for (Delivery d : check.receive(500, Duration.ofMillis(200))) {
                        try {
                            BridgeMessages.assertExact(d.message());
                        } catch (AssertionError e) {
                            wrong.add(e);
                        }
                        arrived.add(d.message().id());
                        d.ack();
                    }
                }
            }, "bridge-it-check");
            checker.start();
            try (Bridge bridge = Bridge.builder().source(src).sourceTopic(topic).group("bridge").startPosition(start(src))
                    .destination(dst).destinationTopic(topic + "-copy").concurrency(4).build().start()) {
                List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
                try (Producer p = src.producer(topic)) {
                    for (int i = 0; i < MESSAGES; i++) {
                        Message m = BridgeMessages.numbered(i);
                        sends.add(p.send(m));
                    }
                    p.flush();
                }
                sends.forEach(java.util.concurrent.CompletableFuture::join);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> arrived.size() >= MESSAGES || !wrong.isEmpty());
                bridge.close();
                BridgeProgress done = bridge.progress();
                assertThat(bridge.failure()).isNull();
                assertThat(done.copied()).isGreaterThanOrEqualTo(MESSAGES);
                assertThat(done.deadLettered()).isZero();
            } finally {
                stop.set(true);
                checker.join(5000);
                check.close();
            }
            if (!wrong.isEmpty()) {
                throw wrong.get(0);
            }
            assertThat(arrived).hasSize(MESSAGES);
        }
    }

    private static StartPosition start(MessagingClient client) {
        return io.anymq.it.DrillBackends.earliestPossible(client);
    }
}
