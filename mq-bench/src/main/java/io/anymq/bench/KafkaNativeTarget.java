package io.anymq.bench;

import io.anymq.MqUrl;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Plain kafka-clients doing what mode=ordered does, as a good Kafka user would: one idempotent
 * {@code acks=all} producer shared by the sending threads, and a consumer group member that polls
 * batches and commits asynchronously at most every 100 ms (the SDK's cadence), with the SDK's poll size. Topics get the same partitions as anymq's (6, or the workload's partitionsPerTopic).
 */
final class KafkaNativeTarget implements BenchTarget {
    private static final long COMMIT_INTERVAL_NANOS = 100_000_000L;
    private final String servers;
    private final KafkaProducer<String, byte[]> producer;
    private final int partitions;

    KafkaNativeTarget(String url, int partitions) {
        this.partitions = partitions;
        this.servers = MqUrl.parse(url).hosts().stream().map(h -> h.host() + ":" + h.portOr(9092)).collect(Collectors.joining(","));
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers, "acks", "all", "enable.idempotence", true),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public String name() {
        return "kafka-clients";
    }

    @Override
    public void prepare(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            for (String t : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, Optional.of(partitions), Optional.empty()))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public Sender sender(String topic) {
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                producer.send(new ProducerRecord<>(topic, key, payload), (metadata, e) -> confirm.done(e));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", servers, "group.id", group, "enable.auto.commit", false,
                
                // every run's topics are new (prepare made them): the group reads them from the start, so that
                // nothing sent between the assignment and the first fetch is skipped (with "latest" it was)
                "auto.offset.reset", "earliest", "group.protocol", "consumer",
                // the same batching as the SDK's member: a poll returns up to its in-flight bound
                "max.poll.records", BenchRunner.MAX_IN_FLIGHT));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                long lastCommit = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        sink.received(ByteBuffer.wrap(r.value()), false);
                        any = true;
                    }
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    // commit as the SDK's member does: at most every 100 ms (each commit is a write the
                    // broker fsyncs; committing after every poll cost the SDK half its throughput)
                    long now = System.nanoTime();
                    if (any && now - lastCommit >= COMMIT_INTERVAL_NANOS) {
                        consumer.commitAsync();
                        lastCommit = now;
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException stop) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }, "kafka-clients-consumer");
        t.setDaemon(true);
        t.start();
        assigned.await(30, java.util.concurrent.TimeUnit.SECONDS);
        return () -> {
            consumer.wakeup();
            t.join(10_000);
        };
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
