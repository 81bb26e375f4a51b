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
    private final KafkaFlusher flusher = new KafkaFlusher();
    /** The client's transactions (ordered mode), made at the first commit; else null. */
    private volatile KafkaTransactions transactions;
    private final io.anymq.spi.ConnectionState state;
    /** A metadata request of the health probe is under way. */
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    /** The least time between two metadata requests of the health probe. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** How long the probe's metadata request may take before the cluster counts as unreachable. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    KafkaClientDriver(KafkaSettings settings, Map<String, Object> common, Admin admin, String where) {
        this.settings = settings;
        this.common = common;
        this.admin = admin;
        this.topics = new KafkaTopics(admin, settings);
        this.capabilities = KafkaProvider.capabilities(settings.mode(), settings.maxPayload());
        this.state = new io.anymq.spi.ConnectionState(where);
        state.probeWith(this::probe, PROBE_INTERVAL);
    }

    /**
     * kafka-clients has no connection listener (its clients reconnect silently, and an idle client's
     * connections close by design), so health asks the cluster for its metadata: one asynchronous
     * {@code describeCluster} at a time, at most once per interval and only while health is read; a
     * read never waits for it. An answer is CONNECTED; no answer within the probe timeout is
     * RECONNECTING (the clients keep trying by themselves).
     */
    private void probe() {
        if (closed || !probing.compareAndSet(false, true)) {
            return;
        }
        try {
            int timeoutMs = (int) PROBE_TIMEOUT.toMillis();
            admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .whenComplete((nodes, error) -> {
                        probing.set(false);
                        if (closed) {
                            return;
                        }
                        if (error == null) {
                            state.connected("the cluster answered a metadata request (" + nodes.size() + " broker(s))");
                        } else {
                            state.reconnecting("no answer to a metadata request within " + timeoutMs + " ms: " + Failures.describe(Failures.unwrap(error)));
                        }
                    });
        } catch (RuntimeException e) {
            probing.set(false);
            throw e;
        }
    }

    @Override
    public io.anymq.spi.ConnectionState connectionState() {
        return state;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        topics.ensure(options.topic());
        return new KafkaProducerDriver(options.topic(), producer(), flusher);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        int partitions = topics.ensure(options.topic());
        GroupKinds.require(admin, options.group(), settings.mode());
        return settings.mode() == KafkaSettings.Mode.SHARED
                ? new SharedConsumerDriver(options, consumerConfig(options), admin, partitions)
                : new OrderedConsumerDriver(options, consumerConfig(options), admin, partitions, settings.commitInterval());
    }

    @Override
    public void deleteTopic(String topic, java.util.Set<String> groups) {
        topics.delete(topic, groups);
    }

    private Map<String, Object> consumerConfig(ConsumerOptions options) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", options.group());
        c.put("max.poll.records", Math.max(1, options.maxInFlight()));
        c.put("client.id", "anymq-" + options.group() + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
        if (settings.mode() == KafkaSettings.Mode.ORDERED) {
            // a transaction's records reach a group only once it committed, and never after an abort (TRANSACTIONS)
            c.put("isolation.level", "read_committed");
        }
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
                    Map<String, Object> c = producerConfig();
                    c.put("client.id", "anymq-producer-" + Long.toHexString(System.nanoTime() & 0xffffff));
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

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("acks", "all");
        c.put("enable.idempotence", true);
        c.put("max.request.size", (int) Math.max(1_048_576, settings.maxPayload() + 65_536));
        c.putAll(common);
        return c;
    }

    /** One Kafka transaction on the client's transactional producer (see {@link KafkaTransactions}); ordered mode only. */
    @Override
    public java.util.concurrent.CompletableFuture<java.util.List<io.anymq.Receipt>> commit(io.anymq.spi.TransactionWork work) {
        KafkaTransactions t = transactions;
        if (t == null) {
            synchronized (this) {
                t = transactions;
                if (t == null) {
                    t = new KafkaTransactions(producerConfig(), topics);
                    transactions = t;
                }
            }
        }
        return java.util.concurrent.CompletableFuture.completedFuture(t.commit(work)); // a TransactionException thrown here reaches the core as it is
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
        closed = true;
        KafkaTransactions t = transactions;
        if (t != null) {
            t.close();
        }
        flusher.close();
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(10));
        }
        admin.close(Duration.ofSeconds(5));
    }
}
