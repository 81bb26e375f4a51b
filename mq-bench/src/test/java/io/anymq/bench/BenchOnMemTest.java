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
    void aPeerRunsInEveryRoundInTheReversedOrderAndGetsItsOwnRatioToNative(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Workload w = Workload.defaults().with(Map.of("warmup", "100ms", "duration", "300ms", "rate", "2000", "message-size", "64"));
        // a stand-in peer on mem: a hand-off of its own, under another name (the real peers live in mq-bench-peer)
        Bench.PeerFactory peer = url -> renamed("peer", new QueueHandOffTarget(10_000));
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
        Bench bench = new Bench("mem:", Workload.defaults()).peer("peer", url -> new QueueHandOffTarget(16));
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
