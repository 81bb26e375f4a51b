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
}
