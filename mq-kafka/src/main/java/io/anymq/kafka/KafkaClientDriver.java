package io.anymq.kafka;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.Failures;
import io.anymq.spi.ProducerDriver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One Kafka connection: an admin client (topics, group offsets), one producer shared by every
 * producer of the connection (KafkaProducer is thread-safe and batches across topics), and a
 * native consumer per SDK consumer (KafkaConsumer is not thread-safe).
 */
final class KafkaClientDriver implements ClientDriver {
    private final KafkaSettings settings;
    private final Map<String, Object> common;
    private final Admin admin;
    private final KafkaTopics topics;
    private final Capabilities capabilities;
    private volatile KafkaProducer<byte[], byte[]> producer;

    KafkaClientDriver(KafkaSettings settings, Map<String, Object> common, Admin admin) {
        this.settings = settings;
        this.common = common;
        this.admin = admin;
        this.topics = new KafkaTopics(admin, settings);
        this.capabilities = KafkaProvider.capabilities(settings.mode(), settings.maxPayload());
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        topics.ensure(options.topic());
        return new KafkaProducerDriver(options.topic(), producer());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        int partitions = topics.ensure(options.topic());
        GroupKinds.require(admin, options.group(), settings.mode());
        return settings.mode() == KafkaSettings.Mode.SHARED
                ? new SharedConsumerDriver(options, consumerConfig(options), admin, partitions)
                : new OrderedConsumerDriver(options, consumerConfig(options), admin, partitions);
    }

    private Map<String, Object> consumerConfig(ConsumerOptions options) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", options.group());
        c.put("max.poll.records", Math.max(1, options.maxInFlight()));
        c.put("client.id", "anymq-" + options.group() + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
        c.putAll(common);
        return c;
    }

    /** The connection's producer, made on first use: idempotent, {@code acks=all}. */
    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    Map<String, Object> c = new HashMap<>();
                    c.put("acks", "all");
                    c.put("enable.idempotence", true);
                    c.put("max.request.size", (int) Math.max(1_048_576, settings.maxPayload() + 65_536));
                    c.put("client.id", "anymq-producer-" + Long.toHexString(System.nanoTime() & 0xffffff));
                    c.putAll(common);
                    try {
                        p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
                    } catch (org.apache.kafka.common.KafkaException e) {
                        throw new io.anymq.ConfigurationException("Kafka refused the producer settings: " + Failures.describe(e), e);
                    }
                    producer = p;
                }
            }
        }
        return p;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(admin)) {
            return type.cast(admin);
        }
        if (type == KafkaProducer.class || type == org.apache.kafka.clients.producer.Producer.class) {
            return type.cast(producer());
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(10));
        }
        admin.close(Duration.ofSeconds(5));
    }
}
