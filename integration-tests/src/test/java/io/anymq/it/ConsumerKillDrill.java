package io.anymq.it;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer dies (#22, run with {@code -Pdrills}): a member of a group runs as a separate process
 * ({@code java -jar mq-cli/target/mq.jar receive ... --ack-timeout 10s}, which prints each message and then
 * acks it, one after the other) and is killed with {@code kill -9} in the middle of a stream of 2,000
 * messages, while its client holds a batch it has not handed out or acked. Another member of the
 * group, started after the kill, must then receive every message the dead member did not print:
 * nothing the dead member did not settle is lost. What the dead member printed may come again
 * (it printed before it acked, and the last ack may not have reached the broker): those are counted as
 * duplicates, not failures. Results: {@code target/drill/consumer-kill.md}.
 *
 * <p>{@code -Ddrill.backends=kafka-ordered,rabbitmq,...} chooses the backends (default: every at-least-once one).
 */
class ConsumerKillDrill {
    private static final int TOTAL = 2_000;
    /** The dead member is killed once it printed this many. */
    private static final int KILL_AFTER = 300;
    private static final Duration DEAD_MEMBERS_ACK_TIMEOUT = Duration.ofSeconds(10);
    /** How long the survivor may wait: the slowest redelivery is a Kafka group's session timeout (45 s). */
    private static final Duration SURVIVOR_WAIT = Duration.ofSeconds(150);

    private static final Map<String, BackendUnderTest> BACKENDS = new LinkedHashMap<>();

    static {
        add("kafka-ordered", BrokerKind.KAFKA, "?mode=ordered");
        add("kafka-shared", BrokerKind.KAFKA, "?mode=shared");
        add("rabbitmq-quorum", BrokerKind.RABBITMQ, "/?queue-type=quorum");
        add("rabbitmq-classic", BrokerKind.RABBITMQ, "/?queue-type=classic");
        add("redis-stream", BrokerKind.REDIS, "?mode=stream");
        add("redis-list", BrokerKind.REDIS, "?mode=list");
        add("redis-zset", BrokerKind.REDIS, "?mode=zset");
        add("nats-jetstream", BrokerKind.NATS, "?jetstream=true");
        add("pulsar-shared", BrokerKind.PULSAR, "?mode=shared");
        add("pulsar-key_shared", BrokerKind.PULSAR, "?mode=key_shared");
        add("pulsar-failover", BrokerKind.PULSAR, "?mode=failover");
        add("rocketmq", BrokerKind.ROCKETMQ, "");
        add("activemq", BrokerKind.ACTIVEMQ, "");
        add("artemis", BrokerKind.ARTEMIS, "");
        add("hornetq", BrokerKind.HORNETQ, "");
        add("memcached", BrokerKind.MEMCACHED, "?eviction=refuse");
    }

    private static final List<String> REPORT = new ArrayList<>();

    private record BackendUnderTest(BrokerKind kind, String options) {
        String url(Broker broker) {
            return DrillBackends.url(broker.url(), options);
        }
    }

    private static void add(String name, BrokerKind kind, String options) {
        BACKENDS.put(name, new BackendUnderTest(kind, options));
    }

    @TestFactory
    List<DynamicTest> everyUnsettledMessageComesToAnotherMember() {
        return DrillBackends.tests(BACKENDS, ConsumerKillDrill::drill);
    }

    private static void drill(String name, BackendUnderTest backend) throws Exception {
        String jar = System.getProperty("mq.jar");
        assertThat(jar).as("the drills profile passes -Dmq.jar").isNotBlank();
        String topic = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "g";
        try (Broker broker = TestBrokers.provide(backend.kind())) {
            String url = backend.url(broker);
            Set<String> sent = new HashSet<>();
            try (MessagingClient client = Messaging.connect(url)) {
                StartPosition start = DrillBackends.earliestPossible(client);
                // the group exists before the first message, on every backend
                client.consumer(ConsumerOptions.builder(topic, group).startPosition(start).build()).close();
                try (Producer producer = client.producer(topic)) {
                    List<CompletableFuture<?>> sends = new ArrayList<>();
                    for (int i = 0; i < TOTAL; i++) {
                        String id = "m-" + i;
                        sends.add(producer.send(Message.builder().id(id).key("k-" + (i % 16)).payload(id).build()));
                        sent.add(id);
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }

                Path log = Path.of("target", "drill", "consumer-kill-" + name + ".log");
                Path printedFile = Path.of("target", "drill", "consumer-kill-" + name + ".out");
                Files.createDirectories(log.getParent());
                // stdout goes to a file: Process.destroyForcibly() closes the pipes, and lines the member wrote just
                // before it died would be lost to the test (they were printed, and acked)
                Process member = new ProcessBuilder("java", "-jar", jar, "receive", url, topic, "-g", group,
                        "--from", start == StartPosition.EARLIEST ? "earliest" : "latest",
                        "--ack-timeout", DEAD_MEMBERS_ACK_TIMEOUT.toSeconds() + "s", "--timeout", "120s")
                        .redirectOutput(printedFile.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (lines(printedFile).size() < KILL_AFTER && System.nanoTime() < until && member.isAlive()) {
                    Thread.sleep(20);
                }
                assertThat(lines(printedFile)).as("the member process printed " + KILL_AFTER + " messages (its stderr: " + log + ")")
                        .hasSizeGreaterThanOrEqualTo(KILL_AFTER);
                member.destroyForcibly(); // SIGKILL, while it holds what it fetched and did not hand out
                assertThat(member.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Set<String> printed = new HashSet<>(lines(printedFile));

                Set<String> missing = new HashSet<>(sent);
                missing.removeAll(printed);
                int expected = missing.size();
                int duplicates = 0;
                long started = System.nanoTime();
                long lastArrival = started;
                try (Consumer survivor = client.consumer(ConsumerOptions.builder(topic, group).startPosition(start)
                        .ackTimeout(Duration.ofSeconds(30)).build())) {
                    long end = started + SURVIVOR_WAIT.toNanos();
                    while (!missing.isEmpty() && System.nanoTime() < end) {
                        for (Delivery d : survivor.receive(200, Duration.ofMillis(500))) {
                            String id = d.message().id();
                            if (!missing.remove(id)) {
                                duplicates++;
                            }
                            lastArrival = System.nanoTime();
                            d.ack().join();
                        }
                    }
                }
                Duration recovered = Duration.ofNanos(lastArrival - started);
                String row = "| " + name + " | " + TOTAL + " | " + printed.size() + " | " + expected + " | " + (expected - missing.size())
                        + " | " + missing.size() + " | " + duplicates + " | " + recovered.toMillis() / 1000.0 + " s |";
                REPORT.add(row);
                assertThat(missing).as(name + ": messages the killed member never printed and no other member received within "
                        + SURVIVOR_WAIT + " (" + missing.size() + " of " + expected + ")").isEmpty();
            }
        }
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    @AfterAll
    static void writeReport() throws IOException {
        DrillBackends.writeTable("consumer-kill.md", List.of("backend", "sent", "printed by the killed member", "left to the survivor",
                "received by the survivor", "lost", "duplicates", "last arrival after the kill"), REPORT);
    }
}
