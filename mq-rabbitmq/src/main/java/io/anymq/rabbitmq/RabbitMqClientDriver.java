package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.ConsumerOptions;
import io.anymq.MessagingException;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One AMQP connection with automatic connection and topology recovery. Producers publish on pooled
 * confirm channels (a channel is lent to one thread at a time); each consumer has a channel of its
 * own; declarations go through one management channel under a lock. Recovery is reported in the log
 * and counted ({@link #recoveries()}).
 */
final class RabbitMqClientDriver implements ClientDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqClientDriver.class);
    /** How long a delay queue lives unused beyond its TTL (it is declared again before each use after a while). */
    private static final long DELAY_QUEUE_SPARE_MS = 30 * 60_000L;
    private static final long REDECLARE_AFTER_NANOS = 60_000_000_000L;

    private final RabbitMqSettings settings;
    private final ConnectionFactory factory;
    private final Connection connection;
    private final Capabilities capabilities;
    private final ConcurrentLinkedDeque<Publisher> idle = new ConcurrentLinkedDeque<>();
    private final Set<Publisher> publishers = ConcurrentHashMap.newKeySet();
    private final Object managementLock = new Object();
    private Channel management; // guarded by managementLock
    private final Map<Long, Long> delayQueuesDeclared = new ConcurrentHashMap<>();
    private final Set<String> redeliverBindings = ConcurrentHashMap.newKeySet();
    private volatile boolean delayTopology;
    private final AtomicLong recoveries = new AtomicLong();
    private volatile boolean closed;
    /** Whether the connection is lost and not recovered yet (kept by listeners: no lock on the send path). */
    private volatile boolean down;
    /** Notified when the connection has recovered. */
    private final Object recovered = new Object();
    /** Fed by the shutdown and recovery listeners. */
    private final io.anymq.spi.ConnectionState state;

    RabbitMqClientDriver(RabbitMqSettings settings, RabbitMqConnections.Connected connected) {
        this.settings = settings;
        this.factory = connected.factory();
        this.connection = connected.connection();
        this.capabilities = new Capabilities(capabilitySet(settings), settings.maxPayload());
        this.state = new io.anymq.spi.ConnectionState("RabbitMQ at " + connection.getAddress().getHostAddress() + ":" + connection.getPort()
                + " (virtual host '" + factory.getVirtualHost() + "')");
        connection.addShutdownListener(this::connectionLost);
        if (connection instanceof Recoverable r) {
            r.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    recoveries.incrementAndGet();
                    down = false;
                    state.connected();
                    synchronized (recovered) {
                        recovered.notifyAll();
                    }
                    LOG.info("RabbitMQ connection to {} recovered (recovery #{}); channels, queues, bindings and consumers restored",
                            connection.getAddress(), recoveries.get());
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    LOG.info("RabbitMQ connection to {}: recovery started", connection.getAddress());
                }
            });
        }
    }

    static Set<Capability> capabilitySet(RabbitMqSettings settings) {
        return settings.quorum() ? RabbitMqProvider.QUORUM : RabbitMqProvider.CLASSIC;
    }

    private void connectionLost(ShutdownSignalException cause) {
        down = !cause.isInitiatedByApplication();
        if (down) {
            // automatic recovery tries again every recovery interval, for ever
            state.reconnecting(RabbitMqConnections.describe(cause) + "; recovery every " + settings.recoveryInterval());
        }
        if (!closed && !cause.isInitiatedByApplication()) {
            LOG.warn("RabbitMQ connection to {} lost ({}); unconfirmed sends fail, recovery every {}", connection.getAddress(),
                    cause.getMessage(), settings.recoveryInterval());
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

    RabbitMqSettings settings() {
        return settings;
    }

    Connection connection() {
        return connection;
    }

    long recoveries() {
        return recoveries.get();
    }

    int frameMax() {
        return connection.getFrameMax();
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        String exchange = RabbitMqNames.exchange(options.topic());
        manage("declare the exchange of topic '" + options.topic() + "'",
                ch -> ch.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true));
        return new RabbitMqProducerDriver(this, options);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        return new RabbitMqConsumerDriver(this, options);
    }

    /**
     * Deletes the queue of each group given ({@code anymq:T:G}), then the topic's exchange ({@code anymq:T});
     * RabbitMQ deletes what does not exist without complaint. A queue of a group not named stays (unbound).
     */
    @Override
    public void deleteTopic(String topic, java.util.Set<String> groups) {
        String exchange = RabbitMqNames.exchange(topic);
        for (String group : groups) {
            String queue = RabbitMqNames.queue(topic, group);
            manage("delete the queue of group '" + group + "' of topic '" + topic + "'", ch -> ch.queueDelete(queue));
            redeliverBindings.remove(queue);
        }
        manage("delete the exchange of topic '" + topic + "'", ch -> ch.exchangeDelete(exchange));
        redeliverBindings.remove(exchange);
    }

    // ---- publishing ----

    /** Publishes on a pooled confirm channel; the future completes on the broker's confirm. Fails at once while the connection is down. */
    CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory, boolean failOnReturn,
                                    AMQP.BasicProperties props, byte[] body, String returnKey, String what) {
        return publish(exchange, routingKey, mandatory, failOnReturn, props, body, returnKey, what, 0);
    }

    /**
     * Publishes; while the connection is down (a broker restart), waits up to {@code waitNanos} for
     * its recovery first, as a send waits for room in a full window.
     */
    CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory, boolean failOnReturn,
                                    AMQP.BasicProperties props, byte[] body, String returnKey, String what, long waitNanos) {
        if (waitNanos > 0 && down && !closed) {
            awaitRecovery(waitNanos);
        }
        Publisher p;
        try {
            p = borrow();
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return p.publish(exchange, routingKey, mandatory, failOnReturn, props, body, returnKey, what);
        } finally {
            giveBack(p);
        }
    }

    /** Waits until the connection is open again (or the time is up, or the client closes). */
    private void awaitRecovery(long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        synchronized (recovered) {
            long left;
            while (down && !closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(recovered, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    throw new io.anymq.MessagingInterruptedException("interrupted while waiting for the connection to RabbitMQ to recover", e);
                }
            }
        }
    }

    private Publisher borrow() {
        Publisher p;
        while ((p = idle.pollFirst()) != null) {
            if (!p.isBroken()) {
                return p;
            }
            drop(p);
        }
        if (closed) {
            throw new io.anymq.ClosedException("the RabbitMQ client is closed");
        }
        try {
            Channel ch = connection.createChannel();
            if (ch == null) {
                throw new ConnectionException("RabbitMQ has no free channel on this connection (channel_max reached)", null);
            }
            p = new Publisher(ch);
            publishers.add(p);
            return p;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MessagingException me) {
                throw me;
            }
            throw new ConnectionException("cannot open a channel to RabbitMQ: " + RabbitMqConnections.describe(e), e);
        }
    }

    private void giveBack(Publisher p) {
        if (p.isBroken() || closed) {
            // keep it until its confirms are in; a broken one has failed them already
            if (p.isBroken()) {
                drop(p);
            }
            return;
        }
        idle.offerFirst(p);
    }

    private void drop(Publisher p) {
        publishers.remove(p);
        p.close();
    }

    // ---- topology ----

    interface ChannelWork {
        void run(Channel channel) throws IOException;
    }

    /**
     * Runs declarations on the management channel. A channel error (a declare with different
     * arguments, say) closes that channel: a new one is opened for the next call.
     */
    void manage(String what, ChannelWork work) {
        synchronized (managementLock) {
            try {
                if (management == null || !management.isOpen()) {
                    management = connection.createChannel();
                }
                work.run(management);
            } catch (IOException | RuntimeException e) {
                throw topologyError(what, e);
            }
        }
    }

    /** A declaration failure as a typed error. */
    static MessagingException topologyError(String what, Throwable e) {
        if (e instanceof MessagingException me) {
            return me;
        }
        ShutdownSignalException sse = RabbitMqConnections.find(e, ShutdownSignalException.class);
        if (sse != null && sse.getReason() instanceof AMQP.Channel.Close close) {
            int code = close.getReplyCode();
            if (code == 406) {
                return new ConfigurationException("cannot " + what + ": RabbitMQ says " + close.getReplyText()
                        + " (an existing queue or exchange has other arguments; RabbitMQ cannot change them: use the same options, or delete it)");
            }
            if (code == 403) {
                return new io.anymq.AuthenticationException("cannot " + what + ": RabbitMQ refused it: " + close.getReplyText(), e);
            }
            return new MessagingException("cannot " + what + ": RabbitMQ says " + close.getReplyText(), e, code >= 500);
        }
        if (e instanceof com.rabbitmq.client.AlreadyClosedException || sse != null) {
            return new ConnectionException("cannot " + what + ": the connection to RabbitMQ is down ("
                    + RabbitMqConnections.describe(e) + ")", e);
        }
        return new ConnectionException("cannot " + what + ": " + RabbitMqConnections.describe(e), e);
    }

    /**
     * The objects delays use, made once per client: the headers exchange {@code anymq:delay} that
     * routes a delayed message to its delay queue, and the direct exchange {@code anymq:redeliver} that
     * expired messages come back through.
     */
    void ensureDelayTopology() {
        if (delayTopology) {
            return;
        }
        manage("declare the delay exchanges", ch -> {
            ch.exchangeDeclare(RabbitMqNames.DELAY_EXCHANGE, BuiltinExchangeType.HEADERS, true);
            ch.exchangeDeclare(RabbitMqNames.REDELIVER_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        });
        delayTopology = true;
    }

    /** Binds a topic's exchange to {@code anymq:redeliver}, so that delayed messages of the topic come back to every group. */
    void ensureTopicRedelivery(String topic) {
        String exchange = RabbitMqNames.exchange(topic);
        if (redeliverBindings.contains(exchange)) {
            return;
        }
        ensureDelayTopology();
        manage("bind the exchange of topic '" + topic + "' for delayed delivery",
                ch -> ch.exchangeBind(exchange, RabbitMqNames.REDELIVER_EXCHANGE, exchange));
        redeliverBindings.add(exchange);
    }

    /**
     * The delay queue for a delay (rounded up to its bucket), declared when first used and again
     * every minute (its {@code x-expires} lets an unused one go away, long after its TTL).
     */
    long ensureDelayQueue(long delayMillis) {
        long bucket = RabbitMqNames.bucket(delayMillis);
        Long last = delayQueuesDeclared.get(bucket);
        long now = System.nanoTime();
        if (last != null && now - last < REDECLARE_AFTER_NANOS) {
            return bucket;
        }
        ensureDelayTopology();
        String queue = RabbitMqNames.delayQueue(bucket);
        long expires = Math.min(Integer.MAX_VALUE, bucket + DELAY_QUEUE_SPARE_MS);
        manage("declare the delay queue " + queue, ch -> {
            ch.queueDeclare(queue, true, false, false, Map.of(
                    "x-queue-type", "classic",
                    "x-message-ttl", bucket,
                    "x-expires", expires,
                    "x-dead-letter-exchange", RabbitMqNames.REDELIVER_EXCHANGE));
            ch.queueBind(queue, RabbitMqNames.DELAY_EXCHANGE, "", Map.of("x-match", "all", RabbitMqMessages.DELAY, Long.toString(bucket)));
        });
        delayQueuesDeclared.put(bucket, now);
        return bucket;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(connection)) {
            return type.cast(connection);
        }
        if (type.isInstance(factory)) {
            return type.cast(factory);
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        closed = true;
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            connection.abort(1_000);
        }
        for (Publisher p : publishers) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "RabbitMqClientDriver{" + connection.getAddress() + ", vhost=" + factory.getVirtualHost() + ", user=" + factory.getUsername()
                + ", " + settings + "}";
    }
}
