package io.anymq.nats;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConnectionState;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import io.nats.client.Connection;

import java.time.Duration;

/** One jnats connection; makes core NATS or JetStream producers and consumers, per the URL's mode. */
final class NatsClientDriver implements ClientDriver {
    private final NatsSettings settings;
    private final Connection connection;
    private final Capabilities capabilities;
    private final JetStreamTopics topics;
    /** What the pull requests of this connection's JetStream members ask for together. */
    private final PullBudget pullBudget;
    /** Fed by jnats' connection listener (see {@link NatsConnections#reporting}). */
    private final ConnectionState state;
    /** Where flushes, core subscriptions and JetStream API requests reach the server from ({@link NatsControl}). */
    private final NatsControl control;

    NatsClientDriver(NatsSettings settings, Connection connection, ConnectionState state) {
        this.settings = settings;
        this.connection = connection;
        this.state = state;
        long max = Math.max(0, connection.getMaxPayload() - NatsSettings.HEADER_ROOM);
        this.capabilities = new Capabilities(settings.jetStream() ? NatsProvider.JETSTREAM : NatsProvider.CORE, max);
        this.topics = settings.jetStream() ? new JetStreamTopics(connection, settings) : null;
        this.control = new NatsControl(String.valueOf(connection.getServerInfo().getClientId()));
        this.pullBudget = new PullBudget(settings.pullMaxBytes(), connection.getMaxPayload() + NatsSettings.HEADER_ROOM);
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
        if (settings.jetStream()) {
            onControlThread(() -> topics.ensureStream(options.topic()));
            return new JetStreamProducerDriver(connection, options.topic(), settings);
        }
        return new CoreNatsProducerDriver(connection, control, options.topic(), settings.sendGeneratedIds());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        if (settings.jetStream()) {
            onControlThread(() -> topics.ensureStream(options.topic()));
            Duration ackWait = options.ackTimeout() != null ? options.ackTimeout() : settings.defaultAckWait();
            io.nats.client.JetStreamSubscription pulls = onControlThread(() -> topics.ensureConsumer(options));
            return new JetStreamConsumerDriver(options.topic(), pulls, options.maxInFlight(), ackWait, pullBudget);
        }
        return new CoreNatsConsumerDriver(connection, control, options);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(connection) ? type.cast(connection) : ClientDriver.super.unwrap(type);
    }

    /** JetStream: the topic's stream goes, its consumers with it. Core NATS keeps nothing of a subject on the server: nothing to do. */
    @Override
    public void deleteTopic(String topic, java.util.Set<String> groups) {
        if (topics != null) {
            onControlThread(() -> topics.deleteStream(topic));
        }
    }

    /**
     * A JetStream API request (or a consumer's subscription) made on the connection's control thread and waited for
     * whatever the caller's interrupt flag says ({@link NatsControl}): jnats' first request of a connection subscribes its
     * reply inbox, and a SUB dropped for an interrupted thread made every later request of the client time out.
     */
    private <T> T onControlThread(java.util.concurrent.Callable<T> request) {
        try {
            return control.call(request);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.anymq.MessagingTimeoutException("NATS did not answer in time: " + e.getMessage(), e);
        }
    }

    private void onControlThread(Runnable request) {
        onControlThread(() -> {
            request.run();
            return null;
        });
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            control.close();
        }
    }

    /**
     * A wait for jnats' {@code nextMessage}: at least 1 ms, because jnats waits forever on a zero
     * duration (and rounds to whole milliseconds).
     */
    static Duration nextMessageWait(Duration timeout) {
        return timeout.toMillis() < 1 ? ONE_MILLI : timeout;
    }

    /** jnats' shortest wait; also what a poll gives each message already in jnats' queue (made once, not per message). */
    static final Duration ONE_MILLI = Duration.ofMillis(1);
}
