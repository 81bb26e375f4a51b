package io.anymq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mq bench}: the command line over mq-bench's library (the measuring itself is tested in mq-bench). */
class BenchCommandTest {
    @Test
    void aShortSideBySideRunOnMemExitsZeroAndWritesItsReports(@TempDir Path out) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        MainTest.Run r;
        try {
            System.setOut(new PrintStream(captured, true));
            r = MainTest.run("bench", "mem:", "--native", "--rounds", "1", "--warmup-rounds", "0", "--warmup", "100ms",
                    "--duration", "300ms", "--rate", "2000", "--producers", "1", "--consumers", "1", "--size", "64",
                    "--out", out.toString());
        } finally {
            System.setOut(original);
        }
        String text = captured.toString();
        assertThat(r.exit()).as(text + r.err()).isZero();
        assertThat(text).contains("anymq #1").contains("ArrayBlockingQueue #1").contains("ratio SDK/native");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".html"));
        }
    }

    /** 300 ms of {@code mem:} at 2000 msg/s with these options; the report on stdout is dropped. */
    private static MainTest.Run shortMemBench(Path out, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "mem:", "--rounds", "1", "--warmup-rounds", "0", "--warmup", "100ms",
                "--duration", "300ms", "--rate", "2000", "--producers", "1", "--consumers", "1", "--size", "64", "--out", out.toString()));
        args.addAll(List.of(options));
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            return MainTest.run(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void metricsAndTracingAreInstalledInTheAnymqSide(@TempDir Path out) {
        MainTest.Run r = shortMemBench(out, "--metrics", "--tracing");
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("--metrics counted (\\d+) messages sent and (\\d+) acked").matcher(r.err());
        assertThat(sent.find()).as(r.err()).isTrue();
        assertThat(Long.parseLong(sent.group(1))).isGreaterThan(100);
        // installed on the consumer side too; how many acks a 300 ms run makes depends on the machine's load
        // (56 once, beside other sessions' builds)
        assertThat(Long.parseLong(sent.group(2))).isPositive();
        java.util.regex.Matcher spans = java.util.regex.Pattern.compile("--tracing exported (\\d+) spans").matcher(r.err());
        assertThat(spans.find()).as(r.err()).isTrue();
        assertThat(Long.parseLong(spans.group(1))).isGreaterThan(200);
    }

    @Test
    void aTracingRatioOfZeroSamplesNoTrace(@TempDir Path out) {
        MainTest.Run r = shortMemBench(out, "--metrics", "--tracing", "--tracing-ratio", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("--metrics counted (\\d+) messages sent").matcher(r.err());
        assertThat(sent.find()).as(r.err()).isTrue();
        assertThat(Long.parseLong(sent.group(1))).isGreaterThan(100);
        assertThat(r.err()).contains("--tracing exported 0 spans");
    }

    @Test
    void aTracingRatioNeedsTracingAndAShare() {
        assertThat(MainTest.run("bench", "mem:", "--tracing-ratio", "0.1").exit()).isEqualTo(Main.USAGE);
        MainTest.Run above = MainTest.run("bench", "mem:", "--tracing", "--tracing-ratio", "1.5");
        assertThat(above.exit()).isEqualTo(Main.USAGE);
        assertThat(above.err()).contains("--tracing-ratio takes a number from 0 to 1");
        MainTest.Run alone = MainTest.run("bench", "mem:", "--tracing-no-unsampled-context");
        assertThat(alone.exit()).isEqualTo(Main.USAGE);
        assertThat(alone.err()).contains("--tracing-no-unsampled-context goes with --tracing");
    }

    @Test
    void aUrlOrABrokerIsRequiredButNotBoth() {
        MainTest.Run none = MainTest.run("bench");
        assertThat(none.exit()).isEqualTo(Main.USAGE);
        assertThat(none.err()).contains("give either a URL or --broker NAME");
        MainTest.Run both = MainTest.run("bench", "mem:", "--broker", "redis");
        assertThat(both.exit()).isEqualTo(Main.USAGE);
    }
}
