package io.anymq.it.bridge;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zero-loss drill of {@code mq bridge} (run with {@code -Pdrills}; see the module README): the
 * bridge runs as a separate process ({@code java -jar mq-cli/target/mq.jar bridge ...}) while a
 * producer streams numbered messages to the source; in the middle of the stream the bridge process
 * is killed with {@code kill -9} and started again, then the source broker is killed and restarted,
 * then the destination broker. Every message whose send the source confirmed must arrive at the
 * destination byte-exact; duplicates are counted (from a destination group read only at the end, so
 * the checking consumer's own redeliveries do not count) and reported in
 * {@code target/drill/bridge-drill.md}.
 *
 * <p>{@code -Ddrill.pairs=kafka>rabbitmq,rabbitmq>kafka,redis>nats,hornetq>artemis} (the default)
 * chooses the pairs, {@code -Ddrill.messages=100000} the stream's length, {@code -Ddrill.faults=false} runs it
 * without the kills.
 */
class BridgeZeroLossDrill {
    private static final Map<String, String> OPTIONS = Map.of("nats", "?jetstream=true");
    /** The producer stays at most this far ahead of the destination, so that every fault hits a stream under way. */
    private static final int MAX_LEAD = 15_000;
    /** {@code -Ddrill.faults=false}: the same stream without any kill, to tell a fault's effect from the rest. */
    private static final boolean FAULTS = !"false".equals(System.getProperty("drill.faults"));

    @TestFactory
    List<DynamicTest> zeroLoss() {
        int messages = BridgePairs.count("drill.messages", 100_000);
        return BridgePairs.tests("drill.pairs", (from, to) -> drill(from, to, messages));
    }

    private static void drill(BrokerKind from, BrokerKind to, int total) throws Exception {
        Path dir = Path.of("target", "drill");
        Files.createDirectories(dir);
        String name = from.id() + "-to-" + to.id();
        String topic = "drill-" + UUID.randomUUID().toString().substring(0, 8);
        String copyTopic = topic + "-copy";
        try (Broker source = TestBrokers.provide(from); Broker destination = TestBrokers.provide(to)) {
            String srcUrl = source.url() + OPTIONS.getOrDefault(from.id(), "");
            String dstUrl = destination.url() + OPTIONS.getOrDefault(to.id(), "");
            Set<String> confirmed = ConcurrentHashMap.newKeySet();
            Set<String> arrived = ConcurrentHashMap.newKeySet();
            AtomicInteger failedSends = new AtomicInteger();
            AtomicInteger notExact = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            StartPosition srcStart;
            try (MessagingClient src = Messaging.connect(srcUrl); MessagingClient dst = Messaging.connect(dstUrl)) {
                srcStart = start(src);
                StartPosition dstStart = start(dst);
                // the groups exist before the first message: the bridge's at the source, two at the destination
                src.consumer(ConsumerOptions.builder(topic, "bridge").startPosition(srcStart).build()).close();
                dst.consumer(ConsumerOptions.builder(copyTopic, "count").startPosition(dstStart).build()).close();
                Consumer check = dst.consumer(ConsumerOptions.builder(copyTopic, "check").startPosition(dstStart)
                        .ackTimeout(Duration.ofSeconds(30)).build());
                Thread checker = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            for (Delivery d : check.receive(500, Duration.ofMillis(200))) {
                                if (arrived.add(d.message().id()) && !BridgeMessages.isExact(d.message())) {
                                    notExact.incrementAndGet();
                                }
                                d.ack();
                            }
                        } catch (RuntimeException brokerAway) {
                            sleep(100); // the client reconnects by itself
                        }
                    }
                }, "drill-check");
                checker.start();

                BridgeProcess bridge = new BridgeProcess(dir, name, srcUrl, topic, dstUrl, copyTopic, srcStart);
                Thread producer = new Thread(() -> produce(src, topic, total, confirmed, failedSends, arrived, stop), "drill-produce");
                long started = System.nanoTime();
                List<String> events = new ArrayList<>();
                try {
                    bridge.start();
                    producer.start();
                    waitFor(() -> arrived.size() >= total * 15 / 100, Duration.ofMinutes(5), "15% arrived");
                    if (FAULTS) {
                        events.add(event(arrived, "kill -9 the bridge process, start it again"));
                        bridge.kill();
                        bridge.start();
                    }
                    waitFor(() -> arrived.size() >= total * 40 / 100, Duration.ofMinutes(5), "40% arrived");
                    if (FAULTS) {
                        events.add(event(arrived, "kill -9 the source broker (" + from.id() + "), restart it"));
                        source.kill();
                        source.restart();
                    }
                    waitFor(() -> arrived.size() >= total * 65 / 100, Duration.ofMinutes(5), "65% arrived");
                    if (FAULTS) {
                        events.add(event(arrived, "kill -9 the destination broker (" + to.id() + "), restart it"));
                        destination.kill();
                        destination.restart();
                    }
                    producer.join(TimeUnit.MINUTES.toMillis(10));
                    // done when every confirmed message arrived, or nothing new came for two minutes
                    int[] last = {-1};
                    long[] lastChange = {System.nanoTime()};
                    waitFor(() -> {
                        if (arrived.size() != last[0]) {
                            last[0] = arrived.size();
                            lastChange[0] = System.nanoTime();
                        }
                        return arrived.containsAll(confirmed) || System.nanoTime() - lastChange[0] > TimeUnit.MINUTES.toNanos(2);
                    }, Duration.ofMinutes(15), "every confirmed message arrived");
                } finally {
                    stop.set(true);
                    producer.join(30_000);
                }
                int exit = bridge.terminate();
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                checker.join(10_000);
                check.close();

                // every copy the destination stored, read once by the group nobody read during the drill
                Map<String, Integer> copies = new HashMap<>();
                try (Consumer count = dst.consumer(ConsumerOptions.builder(copyTopic, "count").startPosition(dstStart).build())) {
                    int idle = 0;
                    while (idle < 5) {
                        List<Delivery> batch = count.receive(1000, Duration.ofSeconds(2));
                        idle = batch.isEmpty() ? idle + 1 : 0;
                        for (Delivery d : batch) {
                            copies.merge(d.message().id(), 1, Integer::sum);
                            d.ack();
                        }
                    }
                }
                Set<String> lost = new java.util.HashSet<>(confirmed);
                lost.removeAll(arrived);
                int duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
                long unconfirmedArrived = arrived.stream().filter(id -> !confirmed.contains(id)).count();
                String row = String.format("| %s → %s" + (FAULTS ? "" : " (no faults)") + " | %,d | %,d | %,d | %,d (%,d unconfirmed) | %,d | %,d | %,d | %,d | %d | %d s |",
                        from.id(), to.id(), total, confirmed.size(), failedSends.get(), arrived.size(), unconfirmedArrived, lost.size(),
                        copies.size(), duplicates, notExact.get(), exit, seconds);
                events.add("lost: " + ranges(lost));
                if (!lost.isEmpty() && srcStart == StartPosition.EARLIEST) {
                    // where were they lost? read the source again with a new group: still there means the copy skipped them
                    Set<String> atSource = new java.util.HashSet<>();
                    try (Consumer again = src.consumer(ConsumerOptions.builder(topic, "audit").startPosition(StartPosition.EARLIEST).build())) {
                        int idle = 0;
                        while (idle < 5) {
                            List<Delivery> batch = again.receive(1000, Duration.ofSeconds(2));
                            idle = batch.isEmpty() ? idle + 1 : 0;
                            for (Delivery d : batch) {
                                atSource.add(d.message().id());
                                d.ack();
                            }
                        }
                    }
                    Set<String> lostAtSource = new java.util.HashSet<>(lost);
                    lostAtSource.removeAll(atSource);
                    events.add("source still holds " + atSource.size() + " messages; lost messages missing at the source too: "
                            + lostAtSource.size() + " " + ranges(lostAtSource));
                }
                report(dir, row, events);
                System.out.println("bridge drill " + row);
                assertThat(lost).as("confirmed by the source, never arrived (%d); e.g. %s", lost.size(),
                        lost.stream().limit(5).toList()).isEmpty();
                assertThat(notExact.get()).as("copies that differ from what was sent").isZero();
                // a plain set check: AssertJ's containsAll compares element by element (100,000 x 100,000)
                assertThat(copies.keySet().containsAll(confirmed)).as("the group read at the end saw every confirmed message").isTrue();
                assertThat(exit).as("the bridge's exit code after SIGTERM (log: %s)", bridge.log()).isZero();
            }
        }
    }

    /** The numbers of these ids as ranges: {@code 5-9 12 20-31}. */
    private static String ranges(Set<String> ids) {
        int[] n = ids.stream().mapToInt(id -> Integer.parseInt(id.substring(2))).sorted().toArray();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n.length; ) {
            int j = i;
            while (j + 1 < n.length && n[j + 1] == n[j] + 1) {
                j++;
            }
            b.append(b.length() == 0 ? "" : " ").append(n[i]).append(i == j ? "" : "-" + n[j]);
            i = j + 1;
        }
        return b.toString();
    }

    private static String event(Set<String> arrived, String what) {
        return Instant.now() + " at " + arrived.size() + " arrived: " + what;
    }

    private static void produce(MessagingClient src, String topic, int total, Set<String> confirmed, AtomicInteger failed,
                                Set<String> arrived, AtomicBoolean stop) {
        Producer p = src.producer(topic);
        java.util.concurrent.atomic.AtomicLong lastFailure = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < total && !stop.get(); i++) {
            if (System.nanoTime() - lastFailure.get() < 100_000_000L) {
                sleep(50); // sends fail now (the broker is away): do not burn through the numbers
            }
            while (confirmed.size() - arrived.size() > MAX_LEAD && !stop.get()) {
                sleep(20);
            }
            String id = BridgeMessages.id(i);
            try {
                p.send(BridgeMessages.numbered(i)).whenComplete((r, e) -> {
                    if (e == null) {
                        confirmed.add(id);
                    } else {
                        failed.incrementAndGet();
                        lastFailure.set(System.nanoTime());
                    }
                });
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                sleep(50); // the broker is away: do not burn through the numbers
            }
        }
        p.close(Duration.ofSeconds(60));
    }

    private static void report(Path dir, String row, List<String> events) throws IOException {
        Path file = dir.resolve("bridge-drill.md");
        if (!Files.exists(file)) {
            Files.writeString(file, "| pair | sent | confirmed | failed sends | arrived | lost | stored ids | duplicates | not exact | bridge exit | time |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        }
        Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("bridge-drill-events.txt"), row + "\n  " + String.join("\n  ", events) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static StartPosition start(MessagingClient client) {
        return io.anymq.it.DrillBackends.earliestPossible(client);
    }

    private static void waitFor(BooleanSupplier condition, Duration max, String what) {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max + " waiting for: " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code java -jar mq.jar bridge ...} as a child process, its output appended to a log under target/drill. */
    private static final class BridgeProcess {
        private final Path log;
        private final List<String> command;
        private Process process;

        BridgeProcess(Path dir, String name, String srcUrl, String topic, String dstUrl, String copyTopic, StartPosition start) {
            Path jar = Path.of(System.getProperty("mq.jar", "../mq-cli/target/mq.jar")).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build it first (the drills profile makes integration-tests "
                        + "depend on mq-cli, so `mvn -pl integration-tests -am verify -Pdrills` does)");
            }
            this.log = dir.resolve(name + "-bridge.log").toAbsolutePath();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            this.command = List.of(java, "-Xmx384m", "-jar", jar.toString(), "bridge", srcUrl, topic, dstUrl, copyTopic,
                    "--group", "bridge", "--from", start == StartPosition.EARLIEST ? "earliest" : "latest",
                    "--concurrency", "4", "--progress", "2s");
        }

        void start() throws IOException {
            Files.writeString(log, "---- " + Instant.now() + " start\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM, then the exit code (-1 when it did not end within a minute and was killed). */
        int terminate() throws InterruptedException {
            if (!process.isAlive()) {
                return process.exitValue();
            }
            process.destroy(); // SIGTERM: the graceful stop
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        }

        Path log() {
            return log;
        }
    }
}
