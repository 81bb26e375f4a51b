package io.anymq.it.bridge;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.bridge.Bridge;
import io.anymq.bridge.BridgeProgress;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge's speed against the slower side's own (run with {@code -Pdrills}; issue #21): per pair, a backlog of
 * {@code -Ddrill.rate.messages} (default 50,000) messages of the zero-loss drill's kind at the source, then, one after
 * the other on the same brokers,
 * <ol>
 *   <li>the source's plain consume+ack rate: an SDK consumer of its own group reads and acks the backlog;</li>
 *   <li>the destination's confirmed-send rate: an SDK producer sends the same messages to another topic and
 *   waits for every confirm;</li>
 *   <li>the bridge's copy rate: an in-process {@link Bridge} (the defaults of {@code mq bridge}: 4 lanes, 512 in
 *   flight) copies the backlog from a third group, timed from its start to the last confirmed copy (the
 *   {@code --until-empty} idle wait is not counted).</li>
 * </ol>
 * The ratio is the bridge's rate over the slower of the two. One table row per pair in
 * {@code target/drill/bridge-throughput.md}; {@code -Ddrill.rate.pairs} (default: the four of {@link BridgeZeroLossDrill})
 * chooses the pairs.
 */
class BridgeThroughputDrill {
    private static final Map<String, String> OPTIONS = Map.of("nats", "?jetstream=true");

    @TestFactory
    List<DynamicTest> bridgeRateAgainstTheSlowerSide() {
        int messages = BridgePairs.count("drill.rate.messages", 50_000);
        return BridgePairs.tests("drill.rate.pairs", (from, to) -> measure(from, to, messages));
    }

    private static void measure(BrokerKind from, BrokerKind to, int total) throws Exception {
        String topic = "rate-" + UUID.randomUUID().toString().substring(0, 8);
        try (Broker source = TestBrokers.provide(from); Broker destination = TestBrokers.provide(to)) {
            String srcUrl = source.url() + OPTIONS.getOrDefault(from.id(), "");
            String dstUrl = destination.url() + OPTIONS.getOrDefault(to.id(), "");
            try (MessagingClient src = Messaging.connect(srcUrl); MessagingClient dst = Messaging.connect(dstUrl)) {
                StartPosition srcStart = io.anymq.it.DrillBackends.earliestPossible(src);
                // both groups exist before the backlog, so that a source without replay keeps it for each
                src.consumer(ConsumerOptions.builder(topic, "plain").startPosition(srcStart).build()).close();
                src.consumer(ConsumerOptions.builder(topic, "bridge").startPosition(srcStart).build()).close();
                double fill = send(src, topic, total);

                double consume;
                try (Consumer plain = src.consumer(ConsumerOptions.builder(topic, "plain").startPosition(srcStart).build())) {
                    long t0 = System.nanoTime();
                    int got = 0;
                    long end = t0 + TimeUnit.MINUTES.toNanos(10);
                    while (got < total && System.nanoTime() < end) {
                        for (Delivery d : plain.receive(500, Duration.ofMillis(500))) {
                            d.ack();
                            got++;
                        }
                    }
                    assertThat(got).as("the plain consumer read the backlog").isGreaterThanOrEqualTo(total);
                    consume = rate(got, t0);
                }

                // a group on each destination topic before the sends: a broker that drops what no group takes (RabbitMQ
                // refuses it as unroutable) stores both the plain sends and the copies, like the other destinations
                StartPosition dstStart = io.anymq.it.DrillBackends.earliestPossible(dst);
                for (String t : new String[] {topic + "-sent", topic + "-copy"}) {
                    dst.consumer(ConsumerOptions.builder(t, "reader").startPosition(dstStart).build()).close();
                }
                double produce = send(dst, topic + "-sent", total);

                Bridge bridge = Bridge.builder().source(srcUrl).sourceTopic(topic).group("bridge").startPosition(srcStart)
                        .destination(dstUrl).destinationTopic(topic + "-copy").untilEmpty(true).build();
                long t0 = System.nanoTime();
                bridge.start();
                long end = t0 + TimeUnit.MINUTES.toNanos(10);
                while (bridge.progress().copied() < total && bridge.isRunning() && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                BridgeProgress done = bridge.progress();
                double copy = rate(done.copied(), t0);
                bridge.close();
                assertThat(bridge.failure()).as("the bridge's failure").isNull();
                assertThat(done.copied()).as("copied by the bridge").isGreaterThanOrEqualTo(total);

                double slower = Math.min(consume, produce);
                String row = String.format("| %s → %s | %,d | %,.0f | %,.0f | %,.0f | %,.0f (%s) | **%.2f** | %,d |", from.id(), to.id(), total,
                        fill, consume, produce, copy, consume <= produce ? "source" : "destination", copy / slower, done.sendRetries());
                report(row);
                System.out.println("bridge throughput " + row);
            }
        }
    }

    /** Sends the messages and waits for every confirm; the confirmed-send rate. */
    private static double send(MessagingClient client, String topic, int total) {
        try (Producer p = client.producer(topic)) {
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> pending = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                pending.add(p.send(BridgeMessages.numbered(i)));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.MINUTES).join();
            return rate(total, t0);
        }
    }

    private static double rate(long count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static void report(String row) throws Exception {
        Path dir = Path.of("target", "drill");
        Files.createDirectories(dir);
        Path file = dir.resolve("bridge-throughput.md");
        if (!Files.exists(file)) {
            Files.writeString(file, "| pair | messages | source send/s (filling) | source consume+ack/s | destination confirmed send/s "
                    + "| bridge copy/s (slower side) | bridge / slower | bridge send retries |\n|---|---|---|---|---|---|---|---|\n");
        }
        Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
    }
}
