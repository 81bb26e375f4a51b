package io.anymq.bench;

import io.anymq.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {
    @Test
    void readsAnOmbStyleYamlFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("w.yaml");
        Files.writeString(yaml, """
                # a workload
                name: my-shape
                topics: 2
                partitionsPerTopic: 4
                messageSize: 2KiB
                producersPerTopic: 4
                subscriptionsPerTopic: 3
                consumerPerSubscription: 2
                producerRate: 1_000
                keys: 16
                consumerHandlerDelay: 1ms
                consumerConcurrency: 16
                warmup: 1s
                duration: 500ms
                maxMessages: 5000000000
                """);
        Workload w = Workload.load(yaml);
        assertThat(w.name()).isEqualTo("my-shape");
        assertThat(w.topics()).isEqualTo(2);
        assertThat(w.partitions()).isEqualTo(4);
        assertThat(w.messageSize()).isEqualTo(2048);
        assertThat(w.producers()).isEqualTo(4);
        assertThat(w.totalProducers()).isEqualTo(8);
        assertThat(w.subscriptions()).isEqualTo(3);
        assertThat(w.consumers()).isEqualTo(2);
        assertThat(w.rate()).isEqualTo(1000);
        assertThat(w.keys()).isEqualTo(16);
        assertThat(w.handlerDelay()).isEqualTo(Duration.ofMillis(1));
        assertThat(w.concurrency()).isEqualTo(16);
        assertThat(w.warmup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(w.maxMessages()).isEqualTo(5_000_000_000L);
        assertThat(w.describe()).startsWith("my-shape: ").contains("3 subscription(s)/topic").contains("concurrency 16");
    }

    @Test
    void missingSettingsKeepTheDefaults(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("w.yaml");
        Files.writeString(yaml, "messageSize: 100\n");
        Workload d = Workload.defaults();
        assertThat(Workload.load(yaml)).isEqualTo(new Workload("", 100, d.rate(), d.producers(), d.consumers(), d.subscriptions(),
                d.topics(), d.partitions(), d.keys(), d.handlerDelay(), d.concurrency(), d.warmup(), d.duration(), d.maxMessages(),
                d.drainTimeout()));
        assertThat(d.partitions()).as("the backend's own default").isZero();
        assertThat(d.subscriptions()).isEqualTo(1);
        assertThat(d.concurrency()).isEqualTo(1);
        assertThat(d.handlerDelay()).isZero();
        Files.writeString(yaml, "# nothing but a comment\n");
        assertThat(Workload.load(yaml)).isEqualTo(d);
    }

    @Test
    void theCommandLinesNamesAndPropertiesFilesStillWork(@TempDir Path dir) throws Exception {
        Workload w = Workload.defaults().with(Map.of("message-size", "100", "producers", "3", "handler-delay", "2ms", "max-messages", "7"));
        assertThat(w.messageSize()).isEqualTo(100);
        assertThat(w.producers()).isEqualTo(3);
        assertThat(w.handlerDelay()).isEqualTo(Duration.ofMillis(2));
        assertThat(w.maxMessages()).isEqualTo(7);
        Path props = dir.resolve("w.properties");
        Files.writeString(props, "message-size=100\ntopics=3\npartitions=6\n");
        Workload p = Workload.load(props);
        assertThat(p.topics()).isEqualTo(3);
        assertThat(p.partitions()).isEqualTo(6);
    }

    @Test
    void anUnknownSettingIsRefusedByNameWithTheKnownOnes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "messageSize: 100\ncolour: blue\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown workload setting 'colour'").hasMessageContaining(f.toString())
                .hasMessageContaining("known: name, topics, partitionsPerTopic, messageSize, producersPerTopic");
    }

    @Test
    void valuesOfTheWrongKindAreRefusedNamingTheSetting(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "producersPerTopic: four\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'producersPerTopic' must be a whole number: 'four'");
        Files.writeString(f, "producerRate: 1.5\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'producerRate' must be a whole number");
        Files.writeString(f, "topics: [1, 2]\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'topics' must be a single value, not a list");
        Files.writeString(f, "consumerHandlerDelay: soon\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'consumerHandlerDelay'").hasMessageContaining("not a duration: 'soon'");
        Files.writeString(f, "size: 8\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 16");
        Files.writeString(f, "consumerConcurrency: 0\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("out of range");
    }

    @Test
    void aFileThatIsNotAMappingOrNotYamlIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "- topics: 1\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("must be a mapping");
        Files.writeString(f, "topics: 1\ntopics: 2\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("not valid YAML")
                .hasMessageContaining("topics");
        Files.writeString(f, "topics: [1\n");
        assertThatThrownBy(() -> Workload.load(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void theShippedWorkloadsLoad() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("workloads"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Workload w = Workload.load(f);
                assertThat(f.getFileName().toString()).isEqualTo(w.name() + ".yaml");
            }
        }
        assertThat(Workload.load(Path.of("workloads", "fanout-4.yaml")).subscriptions()).isEqualTo(4);
        assertThat(Workload.load(Path.of("workloads", "4p4c-64kb.yaml")).messageSize()).isEqualTo(65536);
    }
}
