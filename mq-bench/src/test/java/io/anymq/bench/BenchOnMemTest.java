package io.anymq.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A short real run of `mq bench mem: --native`: nothing lost, both sides reported, files written. */
class BenchOnMemTest {
    @Test
    void aShortSideBySideRunLosesNothingAndWritesItsReports(@TempDir Path out) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true));
            code = new CommandLine(new BenchCommand()).execute("mem:", "--native", "--rounds", "1", "--warmup", "200ms",
                    "--duration", "500ms", "--rate", "2000", "--producers", "2", "--consumers", "2", "--keys", "4",
                    "--size", "64", "--out", out.toString());
        } finally {
            System.setOut(original);
        }
        String text = captured.toString();
        assertThat(code).as(text).isZero();
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
