package io.anymq.pulsar;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.StartPosition;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConnectionState;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Pulsar connection: the native client (thread-safe, one per SDK client), a native producer per
 * SDK producer, and a native consumer per SDK consumer on the group's durable subscription.
 */
final class PulsarClientDriver implements ClientDriver {
    private final PulsarSettings settings;
    private final PulsarConnection connection;
    private final PulsarClient client;
    private final PulsarTopics topics;
    private final Capabilities capabilities;
    /** Each open native producer's and consumer's {@code isConnected()}: what health is made of. */
    private final java.util.Map<Object, java.util.function.BooleanSupplier> links = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConnectionState state;
    /** The transactions of this client (option {@code transactions=true}); else null. */
    private final PulsarTransactions transactions;

    PulsarClientDriver(PulsarSettings settings, PulsarConnection connection) {
        this.settings = settings;
        this.connection = connection;
        this.client = connection.client();
        this.topics = new PulsarTopics(settings);
        this.capabilities = PulsarProvider.capabilities(settings.mode(), settings.partitions(), settings.maxPayload(),
                settings.transactions());
        this.transactions = settings.transactions() ? new PulsarTransactions(client, topics, settings.operationTimeout()) : null;
        this.state = new ConnectionState("Pulsar at " + io.anymq.Redaction.url(settings.serviceUrl()));
        state.probeWith(this::probe, PROBE_INTERVAL);
    }

    /** How often a read of the health looks at the natives' connections again. */
    static final java.time.Duration PROBE_INTERVAL = java.time.Duration.ofMillis(200);

    /**
     * pulsar-client has no connection listener: its producers and consumers each know whether they are
     * connected (local state, no round trip). Any connected: CONNECTED; all down: RECONNECTING (the
     * client reconnects them by itself); none open: the last state stays.
     */
    private void probe() {
        int open = 0;
        int down = 0;
        for (java.util.function.BooleanSupplier connected : links.values()) {
            open++;
            if (!connected.getAsBoolean()) {
                down++;
            }
        }
        if (open == 0) {
            return;
        }
        if (down < open) {
            state.connected(down == 0 ? "every producer and consumer is connected"
                    : down + " of " + open + " producers and consumers are reconnecting");
        } else {
            state.reconnecting("none of the client's " + open + " producers and consumers is connected; pulsar-client reconnects them");
        }
    }

    @Override
    public ConnectionState connectionState() {
        return state;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        String full = topics.ensure(options.topic());
        Producer<byte[]> producer = create(producerBuilder(full), "Pulsar could not create a producer for '" + options.topic() + "'");
        Object link = new Object();
        links.put(link, producer::isConnected);
        return new PulsarProducerDriver(options.topic(), producer, () -> links.remove(link));
    }

    /**
     * Batching by key (a batch never mixes keys, which Key_Shared dispatch needs), no chunking (a
     * payload over the broker's limit is refused), blocking when the native queue is full (the core
     * bounds what is in flight anyway), then the {@code pulsar.producer.*} options.
     */
    private ProducerBuilder<byte[]> producerBuilder(String fullTopic) {
        ProducerBuilder<byte[]> b = client.newProducer()
                .enableBatching(true)
                .batcherBuilder(BatcherBuilder.KEY_BASED)
                .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS)
                .enableChunking(false)
                .blockIfQueueFull(true)
                .sendTimeout((int) settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!settings.nativeOptions().producer().isEmpty()) {
            b.loadConf(settings.nativeOptions().producer());
        }
        return b.topic(fullTopic);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        String full = topics.ensure(options.topic());
        List<String> subscribed = new ArrayList<>(List.of(full));
        Retries retries = null;
        if (settings.mode().honoursDelays()) {
            String retryTopic = Retries.topicOf(full, options.group());
            Producer<byte[]> retryProducer = create(client.newProducer().enableBatching(false).enableChunking(false)
                    .sendTimeout((int) settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS).topic(retryTopic),
                    "Pulsar could not subscribe group '" + options.group() + "' to '" + options.topic() + "' (opening the group's retry topic, "
                            + "which carries nacks with a delay)");
            retries = new Retries(retryProducer, full);
            subscribed.add(retryTopic);
        }
        ConsumerBuilder<byte[]> b = client.newConsumer()
                .receiverQueueSize(Math.max(1, Math.min(1000, options.maxInFlight())))
                .acknowledgmentGroupTime(1, TimeUnit.MILLISECONDS)
                // batch-index acks off: with them on, a few messages of a busy stream were dispatched (unacked at the
                // broker) but never came out of receive until the consumer reconnected, with plain pulsar-client too
                // (4.0.7: 6 of 761,115; 0 of 912,585 with them off)
                .enableBatchIndexAcknowledgment(false)
                .consumerName("anymq-" + options.group() + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
        if (!settings.nativeOptions().consumer().isEmpty()) {
            b.loadConf(settings.nativeOptions().consumer());
        }
        b.topics(subscribed)
                .subscriptionName(options.group())
                .subscriptionType(subscriptionType())
                .subscriptionInitialPosition(options.startPosition() == StartPosition.EARLIEST
                        ? SubscriptionInitialPosition.Earliest : SubscriptionInitialPosition.Latest)
                .isAckReceiptEnabled(true);
        // a new subscription starting at a time is made at the end, then reset to the time (Pulsar has no initial position by time)
        boolean seekToTime = options.startPosition().isTime() && !topics.hasSubscription(options.topic(), options.group());
        Consumer<byte[]> consumer;
        try {
            consumer = b.subscribe();
            if (seekToTime) {
                seek(consumer, options);
            }
        } catch (PulsarClientException | RuntimeException e) {
            if (retries != null) {
                retries.close();
            }
            throw PulsarErrors.map(e, "Pulsar could not subscribe group '" + options.group() + "' to '" + options.topic() + "'"
                    + (seekToTime ? " at " + options.startPosition().time() : ""));
        }
        Object link = new Object();
        Consumer<byte[]> nativeConsumer = consumer;
        links.put(link, nativeConsumer::isConnected);
        return new PulsarConsumerDriver(options.topic(), consumer, retries, () -> links.remove(link),
                () -> topics.backlog(options.topic(), options.group()));
    }

    /** Resets a new subscription to the first message published at or after the start time; closes the consumer if it cannot. */
    private static void seek(Consumer<byte[]> consumer, ConsumerOptions options) throws PulsarClientException {
        try {
            consumer.seek(options.startPosition().time().toEpochMilli());
        } catch (PulsarClientException | RuntimeException e) {
            consumer.closeAsync();
            throw e;
        }
    }

    private SubscriptionType subscriptionType() {
        return switch (settings.mode()) {
            case SHARED -> SubscriptionType.Shared;
            case KEY_SHARED -> SubscriptionType.Key_Shared;
            case FAILOVER -> SubscriptionType.Failover;
        };
    }

    private static Producer<byte[]> create(ProducerBuilder<byte[]> b, String failure) {
        try {
            return b.create();
        } catch (PulsarClientException | RuntimeException e) {
            throw PulsarErrors.map(e, failure);
        }
    }

    /** One Pulsar transaction for the whole (see {@link PulsarTransactions}); only with {@code transactions=true}. */
    @Override
    public java.util.concurrent.CompletableFuture<List<io.anymq.Receipt>> commit(io.anymq.spi.TransactionWork work) {
        return java.util.concurrent.CompletableFuture.completedFuture(transactions.commit(work)); // a TransactionException thrown here reaches the core as it is
    }

    /** {@code unwrap(PulsarClient.class)} gives the native client. */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(client)) {
            return type.cast(client);
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        if (transactions != null) {
            transactions.close();
        }
        connection.close();
    }
}
