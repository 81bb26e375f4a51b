package io.anymq.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {
    @Test
    void aPasswordInTheUrlStaysOutOfTheTableTheJsonAndTheChart(@TempDir Path dir) throws Exception {
        String url = "amqp://bench:s3cret-pw@127.0.0.1:5672";
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        Reports.printTable(new PrintStream(table, true), url, Workload.defaults(), List.of(), null, java.util.Map.of());
        Reports.writeJson(dir.resolve("r.json"), url, Workload.defaults(), List.of(), null, List.of(), java.util.Map.of());
        Reports.writeChart(dir.resolve("r.html"), url, Workload.defaults(), List.of());
        for (String text : List.of(table.toString(), Files.readString(dir.resolve("r.json")), Files.readString(dir.resolve("r.html")))) {
            assertThat(text).contains("amqp://bench:").contains("127.0.0.1:5672").doesNotContain("s3cret-pw");
        }
    }

    private static RunResult run(String label, long behindMillis) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        return new RunResult(label, "t", java.time.Duration.ofSeconds(5), 1000, 1000, 100, h, h, 1000, 1000, 0, 0, 0, 0, -1,
                java.time.Duration.ofMillis(behindMillis));
    }

    /** A run whose producers fell behind a fixed rate counts sends by intended time: no ratio is printed from it. */
    @Test
    void aRunThatDidNotKeepTheFixedRateGivesNoRatio(@TempDir Path dir) throws Exception {
        assertThat(run("a", 0).keptTheRate()).isTrue();
        assertThat(run("a", 100).keptTheRate()).as("100 ms of 5 s").isTrue();
        assertThat(run("a", 101).keptTheRate()).isFalse();
        Comparison kept = new Comparison(List.of(run("anymq #1", 0)), List.of(run("native #1", 40)));
        Comparison behind = new Comparison(List.of(run("anymq #1", 0)), List.of(run("native #1", 3000)));
        assertThat(kept.comparable()).isTrue();
        assertThat(behind.comparable()).isFalse();
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        Reports.printTable(new PrintStream(table, true), "mem:", Workload.defaults(), List.of(), behind,
                java.util.Map.of("peer", behind));
        assertThat(table.toString()).contains("ratio SDK/native: none").contains("ratio peer/native: none")
                .doesNotContain("throughput 1.000");
        Reports.writeJson(dir.resolve("r.json"), "mem:", Workload.defaults(), behind.nativ(), behind, List.of(), java.util.Map.of());
        assertThat(Files.readString(dir.resolve("r.json"))).contains("\"comparable\": false").contains("\"behindScheduleMillis\": 3000")
                .contains("\"keptTheRate\": false");
    }
}
