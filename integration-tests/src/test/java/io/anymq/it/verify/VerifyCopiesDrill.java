package io.anymq.it.verify;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.DrillBackends;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several copies of the suite at once on one broker (conformance-scenarios.md, "a stress mode that runs the suite
 * several times in parallel on one broker", as Watermill does; run with {@code -Pdrills}): {@code Verification.copies}
 * runs the whole suite (every scenario but the fault ones, which would restart the broker under the other copies)
 * {@code drill.copies} times at once (3 by default) against each backend's mode, as its TCK IT connects, each copy
 * with its own clients and names. Every copy must pass. Results, per backend and copy: {@code target/drill/verify-copies.md}
 * (the copies' capability reports beside it, {@code target/drill/verify-copies/<backend>-copy<i>.md}).
 *
 * <p>{@code -Ddrill.backends=kafka-ordered,redis-stream,...} chooses the backends (default: every one);
 * {@code -Ddrill.copies=N}; {@code -Ddrill.only=pattern,...} a selection of scenarios ({@code mq verify --only});
 * {@code -Ddrill.stress=true} adds the stress scenarios.
 */
class VerifyCopiesDrill {
    private static final Map<String, Mode> BACKENDS = new LinkedHashMap<>();

    static {
        add("kafka-ordered", BrokerKind.KAFKA, b -> b.url() + "?mode=ordered");
        // the known gap of share groups with members that come and go quickly (KafkaSharedTckIT, mq-kafka/README.md)
        add("kafka-shared", BrokerKind.KAFKA, b -> b.url() + "?mode=shared", "membersReopenedTwentyTimesDuringAStreamLoseNothing");
        add("rabbitmq-quorum", BrokerKind.RABBITMQ, b -> b.url() + "/?queue-type=quorum&unroutable=accept");
        add("rabbitmq-classic", BrokerKind.RABBITMQ, b -> b.url() + "/?queue-type=classic&unroutable=accept");
        add("redis-stream", BrokerKind.REDIS, b -> b.url() + "?mode=stream");
        add("redis-list", BrokerKind.REDIS, b -> b.url() + "?mode=list");
        add("redis-zset", BrokerKind.REDIS, b -> b.url() + "?mode=zset");
        add("nats-jetstream", BrokerKind.NATS, b -> b.url() + "?jetstream=true");
        add("nats-core", BrokerKind.NATS, Broker::url);
        add("pulsar-shared", BrokerKind.PULSAR, b -> b.url() + "?mode=shared&transactions=true&admin-url=" + b.nativeProperties().get("adminUrl"));
        add("pulsar-key_shared", BrokerKind.PULSAR, b -> b.url() + "?mode=key_shared&transactions=true&admin-url=" + b.nativeProperties().get("adminUrl"));
        add("pulsar-failover", BrokerKind.PULSAR, b -> b.url() + "?mode=failover&partitions=4&admin-url=" + b.nativeProperties().get("adminUrl"));
        add("rocketmq", BrokerKind.ROCKETMQ, Broker::url);
        add("rocketmq-fifo", BrokerKind.ROCKETMQ, b -> b.url() + "&mode=fifo");
        add("activemq", BrokerKind.ACTIVEMQ, Broker::url);
        add("artemis", BrokerKind.ARTEMIS, Broker::url);
        add("hornetq", BrokerKind.HORNETQ, Broker::url);
        add("memcached", BrokerKind.MEMCACHED, b -> b.url() + "?eviction=refuse");
    }

    private static final List<String> ROWS = new ArrayList<>();

    private record Mode(BrokerKind kind, Function<Broker, String> url, List<String> skip) {
    }

    private static void add(String name, BrokerKind kind, Function<Broker, String> url, String... skip) {
        BACKENDS.put(name, new Mode(kind, url, List.of(skip)));
    }

    @TestFactory
    List<DynamicTest> everyCopyOfTheSuitePassesAtOnceOnOneBroker() {
        return DrillBackends.tests(BACKENDS, VerifyCopiesDrill::drill);
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path report = Path.of("target", "drill", "verify-copies.md");
        Files.createDirectories(report.getParent());
        List<String> lines = new ArrayList<>(List.of("| backend | copy | passed | failed | not run | seconds | failures |", "|---|---|---|---|---|---|---|"));
        lines.addAll(ROWS);
        Files.write(report, lines, StandardCharsets.UTF_8);
    }

    private static void drill(String name, Mode mode) throws Exception {
        int copies = Integer.parseInt(property("drill.copies", "3"));
        List<String> only = property("drill.only", "").isBlank() ? List.of() : List.of(property("drill.only", "").split(","));
        boolean stress = Boolean.parseBoolean(property("drill.stress", "false"));
        Path reports = Path.of("target", "drill", "verify-copies");
        try (Broker broker = TestBrokers.provide(mode.kind())) {
            String url = mode.url().apply(broker);
            TckSettings settings = TckSettings.defaults().toBuilder().receiveTimeout(Duration.ofSeconds(30))
                    .namePrefix("anymq-copies-" + name.replaceAll("[^a-z0-9]", "") + "-").reportName(name)
                    .reportDirectory(reports).stress(stress).deleteWhatItMade(true).build();
            long start = System.nanoTime();
            List<TckReport> results = Verification.builder(url).settings(settings).only(only).skip(mode.skip()).copies(copies)
                    .listener(timings(name)).build().runCopies();
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                TckReport r = results.get(i);
                List<String> failed = r.scenarios().stream().filter(s -> s.outcome() == Outcome.FAILED)
                        .map(s -> s.scenario() + ": " + s.detail().replace('|', '/')).toList();
                synchronized (ROWS) {
                    ROWS.add("| " + name + " | " + (i + 1) + " | " + r.count(Outcome.PASSED) + " | " + r.count(Outcome.FAILED) + " | "
                            + r.count(Outcome.NOT_RUN) + " | " + seconds + " | " + String.join("; ", failed) + " |");
                }
                if (!r.passed()) {
                    failures.add("copy " + (i + 1) + ": " + failed + (failed.isEmpty() ? " (a capability verdict failed)" : ""));
                }
            }
            writeTable();
            assertThat(failures).as(name + ": copies that failed (reports in " + reports + ")").isEmpty();
        }
    }

    /** Each scenario's time per copy, in {@code target/drill/verify-copies-times.md}. */
    private static Verification.Listener timings(String backend) {
        return new Verification.Listener() {
            @Override
            public Verification.Listener copy(int copy) {
                return timings(backend + " copy " + copy);
            }

            private long started;

            @Override
            public void started(int n, int total, String scenario) {
                started = System.nanoTime();
            }

            @Override
            public void finished(String scenario, Outcome outcome, String detail) {
                String row = "| " + backend + " | " + scenario + " | " + outcome.name().toLowerCase() + " | "
                        + (outcome == Outcome.NOT_RUN ? "-" : String.format("%.1f", (System.nanoTime() - started) / 1e9)) + " |\n";
                try {
                    Path file = Path.of("target", "drill", "verify-copies-times.md");
                    Files.createDirectories(file.getParent());
                    synchronized (VerifyCopiesDrill.class) {
                        if (!Files.exists(file)) {
                            Files.writeString(file, "| backend | scenario | outcome | seconds |\n|---|---|---|---|\n");
                        }
                        Files.writeString(file, row, java.nio.file.StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : value;
    }
}
