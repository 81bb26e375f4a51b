package io.anymq.bench;

import io.anymq.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {
    @Test
    void readsFlatYamlAndProperties(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("w.yaml");
        Files.writeString(yaml, "# a workload\nmessageSize: 2KiB\nproducers: 4\nconsumers: 2\nrate: 1000\nkeys: 16\nwarmup: 1s\nduration: 500ms\n");
        Workload w = Workload.load(yaml);
        assertThat(w.messageSize()).isEqualTo(2048);
        assertThat(w.producers()).isEqualTo(4);
        assertThat(w.consumers()).isEqualTo(2);
        assertThat(w.rate()).isEqualTo(1000);
        assertThat(w.keys()).isEqualTo(16);
        assertThat(w.warmup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.duration()).isEqualTo(Duration.ofMillis(500));

        Path props = dir.resolve("w.properties");
        Files.writeString(props, "message-size=100\ntopics=3\npartitions=6\n");
        Workload p = Workload.load(props);
        assertThat(p.messageSize()).isEqualTo(100);
        assertThat(p.topics()).isEqualTo(3);
        assertThat(p.partitions()).isEqualTo(6);
    }

    @Test
    void refusesUnknownSettingsAndTinyMessages(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "colour: blue\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("colour");
        Files.writeString(f, "size: 8\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 16");
    }
}
