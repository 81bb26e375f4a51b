package io.anymq.bench.peer;

import io.anymq.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the peer's bindings are set to, from mq bench's URL: the at-least-once settings the README's table lists. */
class PeerBindingsTest {

    @Test
    void kafkaSendsWithAcksAllAndTheClientsLingerAndPollsTheSdksWindow() {
        Map<String, Object> p = PeerBindings.forUrl("kafka://127.0.0.1:19092").properties("t1", "g", List.of("t1"));
        assertThat(p).containsEntry("spring.cloud.stream.default-binder", "kafka")
                .containsEntry("spring.cloud.stream.kafka.binder.brokers", "127.0.0.1:19092")
                .containsEntry("spring.cloud.stream.kafka.binder.required-acks", "all")
                .containsEntry("spring.cloud.stream.kafka.binder.min-partition-count", "6")
                .containsEntry("spring.cloud.stream.bindings.benchSink-in-0.destination", "t1")
                .containsEntry("spring.cloud.stream.bindings.benchSink-in-0.group", "g")
                .containsEntry("spring.cloud.stream.kafka.bindings.benchSink-in-0.consumer.configuration.max.poll.records", "1024")
                .containsEntry("spring.cloud.stream.output-bindings", "benchOut0")
                .containsEntry("spring.cloud.stream.bindings.benchOut0-out-0.destination", "t1")
                .containsEntry("spring.cloud.stream.kafka.bindings.benchOut0-out-0.producer.record-metadata-channel", "benchSendResults")
                .containsEntry("spring.cloud.stream.kafka.bindings.benchOut0-out-0.producer.batch-timeout", "5")
                .containsEntry("spring.cloud.stream.bindings.benchOut0-out-0.producer.error-channel-enabled", "true")
                .containsEntry("spring.cloud.stream.bindings.benchOut0-out-0.content-type", "application/octet-stream")
                .doesNotContainKey("spring.rabbitmq.publisher-confirm-type");
    }

    @Test
    void rabbitConfirmsEverySendAndConsumesAQuorumQueueWithTheSdksPrefetch() {
        PeerBindings b = PeerBindings.forUrl("amqp://bench:s3cret@127.0.0.1:25672/vh");
        Map<String, Object> p = b.properties("t1", "g", List.of("t1"));
        assertThat(p).containsEntry("spring.cloud.stream.default-binder", "rabbit")
                .containsEntry("spring.rabbitmq.host", "127.0.0.1").containsEntry("spring.rabbitmq.port", "25672")
                .containsEntry("spring.rabbitmq.username", "bench").containsEntry("spring.rabbitmq.virtual-host", "vh")
                .containsEntry("spring.rabbitmq.publisher-confirm-type", "correlated")
                .containsEntry("spring.cloud.stream.rabbit.bindings.benchOut0-out-0.producer.use-confirm-header", "true")
                .containsEntry("spring.cloud.stream.rabbit.bindings.benchSink-in-0.consumer.prefetch", "1024")
                .containsEntry("spring.cloud.stream.rabbit.bindings.benchSink-in-0.consumer.quorum.enabled", "true");
        assertThat(b.toString()).doesNotContain("s3cret");
        assertThat(PeerBindings.forUrl("amqp://127.0.0.1:5672?queue-type=classic").properties("t", "g", List.of("t")))
                .containsEntry("spring.cloud.stream.rabbit.bindings.benchSink-in-0.consumer.quorum.enabled", "false");
    }

    @Test
    void otherSchemesAndMissingArgumentsAreRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> PeerBindings.forUrl("nats://127.0.0.1:4222")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("kafka://").hasMessageContaining("nats");
        assertThatThrownBy(() -> PeerBench.bench(List.of("--rounds", "2"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("URL");
        assertThatThrownBy(() -> PeerBench.bench(List.of("kafka://127.0.0.1:9092", "--consumers", "2")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("one consumer");
        assertThatThrownBy(() -> PeerBench.bench(List.of("kafka://127.0.0.1:9092", "--size")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("pairs");
    }
}
