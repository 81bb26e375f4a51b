package io.anymq.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A short real run of the bench on mem: with the native side: nothing lost, both sides reported, files written. */
class BenchOnMemTest {
    @Test
    void aShortSideBySideRunLosesNothingAndWritesItsReports(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Workload w = Workload.defaults().with(Map.of("warmup", "200ms", "duration", "500ms", "rate", "2000",
                "producers", "2", "consumers", "2", "keys", "4", "message-size", "64"));
        PrintStream report = new PrintStream(captured, true);
        Bench.Result result = new Bench("mem:", w).withNative(false).rounds(1).out(out)
                .printTo(report, new PrintStream(new ByteArrayOutputStream()), false).run();
        String text = captured.toString();
        assertThat(result.lost()).as(text).isZero();
        assertThat(result.json()).exists();
        assertThat(result.chart()).exists();
        assertThat(text).contains("anymq #1").contains("ArrayBlockingQueue #1").contains("ratio SDK/native");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".html"));
        }
        Path json;
        try (Stream<Path> files = Files.list(out)) {
            json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(json)).contains("\"lost\": 0").contains("\"ratios\"");
    }

    @Test
    void theShippedFanOutWorkloadDeliversEveryMessageToEachSubscriptionAndSaysWhyTheQueueBaselineDidNotRun(@TempDir Path out)
            throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Bench.Result result = runShipped("fanout-4", "300ms", "2000", out, captured);
        String text = captured.toString();
        assertThat(result.json().getFileName().toString()).startsWith("bench-mem-fanout-4-");
        assertThat(text).contains("anymq #1").doesNotContain("ArrayBlockingQueue #1").doesNotContain("ratio SDK/native")
                .contains("note: ArrayBlockingQueue not run: a queue hand-off has no fan-out (subscriptionsPerTopic 4)");
        String json = Files.readString(result.json());
        long confirmed = Long.parseLong(json.replaceAll("(?s).*\"confirmed\": (\\d+).*", "$1"));
        long received = Long.parseLong(json.replaceAll("(?s).*\"received\": (\\d+).*", "$1"));
        assertThat(confirmed).as(json).isPositive();
        assertThat(received).as("every subscription received every message: " + json).isEqualTo(4 * confirmed);
        assertThat(json).contains("\"duplicates\": 0");
    }

    @Test
    void aSlowHandlerWithConcurrencyRunsOnBothSides(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Bench.Result result = runShipped("handler-1ms-c16", "400ms", "4000", out, captured);
        String text = captured.toString();
        assertThat(text).contains("anymq #1").contains("ArrayBlockingQueue #1").contains("ratio SDK/native");
        // 4,000 msg/s through a 1 ms handler needs several handlers at a time: one alone would fall seconds behind
        // (a backlog of ~1,200 messages at 1 ms each); with 16, each side's end-to-end p99 stays far below that
        java.util.regex.Matcher p99 = java.util.regex.Pattern.compile("\"endToEndLatencyMicros\": \\{[^}]*\"p99\": (\\d+)")
                .matcher(Files.readString(result.json()));
        int runs = 0;
        while (p99.find()) {
            assertThat(Long.parseLong(p99.group(1))).as(text).isLessThan(500_000);
            runs++;
        }
        assertThat(runs).isEqualTo(2);
    }

    /** One round of each side of a shipped workload on mem:, shortened; nothing confirmed may be lost. */
    private static Bench.Result runShipped(String workload, String duration, String rate, Path out, ByteArrayOutputStream captured)
            throws Exception {
        Workload w = Workload.load(Path.of("workloads", workload + ".yaml")).with(Map.of("warmup", "100ms", "duration", duration, "rate", rate));
        Bench.Result result = new Bench("mem:", w).withNative(false).rounds(1).warmupRounds(0).out(out)
                .printTo(new PrintStream(captured, true), new PrintStream(new ByteArrayOutputStream()), false).run();
        assertThat(result.lost()).as(captured.toString()).isZero();
        return result;
    }

    @Test
    void aPeerRunsInEveryRoundInTheReversedOrderAndGetsItsOwnRatioToNative(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Workload w = Workload.defaults().with(Map.of("warmup", "100ms", "duration", "300ms", "rate", "2000", "message-size", "64"));
        // a stand-in peer on mem: a hand-off of its own, under another name (the real peers live in mq-bench-peer)
        Bench.PeerFactory peer = url -> renamed("peer", new QueueHandOffTarget(10_000, 1));
        Bench.Result result = new Bench("mem:", w).withNative(false).peer("peer", peer).rounds(2).warmupRounds(0).out(out)
                .printTo(new PrintStream(captured, true), new PrintStream(new ByteArrayOutputStream()), false).run();
        String text = captured.toString();
        assertThat(result.lost()).as(text).isZero();
        // round 1: anymq, native, peer; round 2 reversed
        assertThat(text).containsSubsequence("anymq #1", "ArrayBlockingQueue #1", "peer #1", "peer #2", "ArrayBlockingQueue #2", "anymq #2")
                .contains("ratio SDK/native").contains("ratio peer/native: throughput");
        assertThat(Files.readString(result.json())).contains("\"peerRatios\": {\"peer\": {\"throughput\": ");
    }

    @Test
    void aPeerWithoutTheNativeSideIsRefused() {
        Bench bench = new Bench("mem:", Workload.defaults()).peer("peer", url -> new QueueHandOffTarget(16, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(bench::run).isInstanceOf(io.anymq.ConfigurationException.class)
                .hasMessageContaining("native");
    }

    private static BenchTarget renamed(String name, BenchTarget t) {
        return new BenchTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void prepare(java.util.List<String> topics) throws Exception {
                t.prepare(topics);
            }

            @Override
            public Sender sender(String topic) throws Exception {
                return t.sender(topic);
            }

            @Override
            public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
                return t.consume(topic, group, sink);
            }

            @Override
            public void close() throws Exception {
                t.close();
            }
        };
    }
}
