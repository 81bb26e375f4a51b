package io.anymq.it.cluster;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.it.DrillBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader dies (#22, run with {@code -Pdrills}): a three-node cluster of each backend, started as local processes; a
 * producer sends 10,000 numbered messages at a steady rate (500 a second) to a replicated topic while a group consumes
 * and acks them; after a third the node that leads the topic's partition, queue or stream is killed with
 * {@code kill -9} and stays dead. Neither client is helped: they must find the new leader by themselves. Every message
 * whose send completed ("confirmed") must arrive. Measured: the time from the kill until the first confirmed message
 * sent after it is received. Results: {@code target/drill/cluster-failover.md}.
 *
 * <p>{@code -Ddrill.backends=nats,kafka,...} chooses the clusters (default: every one).
 */
class ClusterFailoverDrill {
    private static final int TOTAL = 10_000;
    private static final int RATE_PER_SECOND = 500;
    private static final int KILL_AT = TOTAL / 3;
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(120);

    private static final Map<String, Function<Path, ClusterUnderTest>> BACKENDS = new LinkedHashMap<>();

    static {
        BACKENDS.put("nats", NatsCluster::new);
        BACKENDS.put("kafka", KafkaCluster::new);
        BACKENDS.put("rabbitmq", RabbitMqCluster::new);
        BACKENDS.put("redis-cluster", dir -> new RedisReplicaCluster(dir, "stream"));
        BACKENDS.put("redis-cluster-list", dir -> new RedisReplicaCluster(dir, "list"));
        // wait-replicas=1: two replicas a master, so that the promoted one still has a replica to wait for
        BACKENDS.put("redis-cluster-wait", dir -> new RedisReplicaCluster(dir, "stream", 2, "&wait-replicas=1"));
        BACKENDS.put("redis-cluster-list-wait", dir -> new RedisReplicaCluster(dir, "list", 2, "&wait-replicas=1"));
    }

    private static final List<String> REPORT = new ArrayList<>();

    @TestFactory
    List<DynamicTest> nothingConfirmedIsLostWhenTheLeaderDies() {
        return DrillBackends.tests(BACKENDS, ClusterFailoverDrill::drill);
    }

    private static void drill(String name, Function<Path, ClusterUnderTest> factory) throws Exception {
        Path dir = Path.of("target", "drill", "cluster-" + name + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(dir);
        String topic = "failover" + UUID.randomUUID().toString().substring(0, 8);
        try (ClusterUnderTest cluster = factory.apply(dir)) {
            cluster.start();
            Set<String> confirmed = ConcurrentHashMap.newKeySet();
            Map<String, Long> receivedAt = new ConcurrentHashMap<>();
            AtomicInteger deliveries = new AtomicInteger();
            AtomicInteger failedSends = new AtomicInteger();
            AtomicInteger receiveErrors = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            String killed;
            long killedAt;
            try (MessagingClient client = Messaging.connect(cluster.url())) {
                StartPosition from = io.anymq.it.DrillBackends.earliestPossible(client); // RabbitMQ cannot replay
                Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "drill").startPosition(from)
                        .ackTimeout(Duration.ofSeconds(10)).build());
                Thread receiver = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            for (Delivery d : consumer.receive(100, Duration.ofMillis(200))) {
                                deliveries.incrementAndGet();
                                receivedAt.putIfAbsent(d.message().id(), System.nanoTime());
                                d.ack();
                            }
                        } catch (RuntimeException leaderAway) {
                            receiveErrors.incrementAndGet(); // keep going: the client finds the new leader by itself
                        }
                    }
                }, "drill-consumer");
                receiver.start();
                killed = null;
                killedAt = 0;
                try (Producer producer = client.producer(topic)) {
                    long start = System.nanoTime();
                    long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
                    for (int i = 0; i < TOTAL; i++) {
                        long due = start + i * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        String id = "m-" + i;
                        try {
                            producer.send(Message.builder().payload(id).id(id).build()).whenComplete((r, e) -> {
                                if (e == null) {
                                    confirmed.add(id);
                                } else {
                                    failedSends.incrementAndGet();
                                }
                            });
                        } catch (RuntimeException e) {
                            failedSends.incrementAndGet();
                        }
                        if (i == KILL_AT) {
                            killed = cluster.killLeader(topic);
                            killedAt = System.nanoTime();
                        }
                    }
                    producer.close(Duration.ofSeconds(60));
                }
                try {
                    await().atMost(DELIVERY_WAIT).pollInterval(Duration.ofMillis(200))
                            .until(() -> receivedAt.keySet().containsAll(confirmed));
                } catch (org.awaitility.core.ConditionTimeoutException lostSome) {
                    // reported below, with the missing ids
                } finally {
                    stop.set(true);
                    receiver.join(10_000);
                    consumer.close();
                }
            }
            Set<String> lost = new HashSet<>(confirmed);
            lost.removeAll(receivedAt.keySet());
            Set<String> unconfirmedDelivered = new HashSet<>(receivedAt.keySet());
            unconfirmedDelivered.removeAll(confirmed);
            int firstAfter = -1;
            for (int i = KILL_AT + 1; i < TOTAL; i++) {
                if (confirmed.contains("m-" + i) && receivedAt.containsKey("m-" + i)) {
                    firstAfter = i;
                    break;
                }
            }
            String recovered = firstAfter < 0 ? "never"
                    : String.format("%.2f s (m-%d)", (receivedAt.get("m-" + firstAfter) - killedAt) / 1e9, firstAfter);
            int duplicates = deliveries.get() - receivedAt.size();
            String row = "| " + name + " | " + TOTAL + " | " + confirmed.size() + " | " + failedSends.get() + " | " + lost.size()
                    + " | " + unconfirmedDelivered.size() + " | " + duplicates + " | " + recovered + " | " + killed + " | " + cluster.setup() + " |";
            REPORT.add(row);
            System.out.println("[cluster-failover] " + row);
            assertThat(lost).as(name + ": confirmed messages that never arrived (" + lost.size() + " of " + confirmed.size() + ")").isEmpty();
            assertThat(firstAfter).as(name + ": a confirmed message sent after the kill arrived").isGreaterThan(KILL_AT);
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        Path report = Path.of("target", "drill", "cluster-failover.md");
        Files.createDirectories(report.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("| backend | sent | confirmed | failed sends | lost (confirmed, never received) | received though the send failed | duplicate deliveries | time to recover | killed | setup |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|");
        lines.addAll(REPORT);
        Files.write(report, lines, StandardCharsets.UTF_8);
    }
}
