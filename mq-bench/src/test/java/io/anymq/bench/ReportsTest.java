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
}
