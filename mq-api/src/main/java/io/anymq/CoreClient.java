package io.anymq;

import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import io.anymq.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The portable core's client: checks options and capabilities once for every backend, wraps the
 * driver's producers and consumers, and closes everything it made.
 */
final class CoreClient implements MessagingClient {
    private static final Logger LOG = LoggerFactory.getLogger(CoreClient.class);

    private final String provider;
    private final ClientDriver driver;
    private final MessagingConfig config;
    private final Capabilities capabilities;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<CoreProducer> producers = ConcurrentHashMap.newKeySet();
    private final Set<CoreConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Map<String, CoreProducer> deadLetterProducers = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;
    /** The interceptors of {@link MessagingConfig#interceptors()}; null when there are none. */
    private final Interceptors interceptors;
    /** The driver's report of its connection; null when the driver does not observe it. */
    private final io.anymq.spi.ConnectionState connection;
    /** What health() says when the driver does not observe its connection, or once closed. */
    private volatile Health fixedHealth;
    /** What every send of this client is checked for. */
    private final SendChecks sendChecks;

    CoreClient(String provider, ClientDriver driver, MessagingConfig config) {
        this.provider = provider;
        this.driver = driver;
        this.config = config;
        this.capabilities = driver.capabilities();
        this.interceptors = Interceptors.of(config.interceptors(), provider);
        this.connection = driver.connectionState();
        this.sendChecks = new SendChecks(provider, capabilities);
        this.fixedHealth = connection != null ? null : Health.of(Health.State.CONNECTED,
                provider + ": connected at start; the " + provider + " driver does not observe its connection after that",
                java.time.Instant.now());
    }

    @Override
    public Health health() {
        Health fixed = fixedHealth;
        return fixed != null ? fixed : connection.health();
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Producer producer(ProducerOptions options) {
        ensureOpen();
        return register(new CoreProducer(this, options, Uninterruptibly.withFlagCleared(() -> driver.createProducer(options))));
    }

    private CoreProducer register(CoreProducer p) {
        producers.add(p);
        if (closed.get()) {
            p.close();
            throw closedError();
        }
        return p;
    }

    @Override
    public Consumer consumer(ConsumerOptions options) {
        ensureOpen();
        if (options.startPosition() == StartPosition.EARLIEST) {
            require(Capability.REPLAY_FROM_EARLIEST, "StartPosition.EARLIEST");
        } else if (options.startPosition().isTime()) {
            require(Capability.START_AT_TIME, "StartPosition.at(Instant)");
            Instant now = Instant.now();
            if (options.startPosition().time().isAfter(now)) {
                throw new ConfigurationException("StartPosition." + options.startPosition() + " is in the future (now is "
                        + now + "): a group starts at a time that has passed; LATEST reads what comes next");
            }
        }
        if (options.ackTimeout() != null) {
            require(Capability.ACK_TIMEOUT, "ConsumerOptions.ackTimeout");
            if (options.ackTimeout().compareTo(capabilities.minimumAckTimeout()) < 0) {
                throw new ConfigurationException(provider + " needs an ack timeout of at least " + capabilities.minimumAckTimeout()
                        + ": ConsumerOptions.ackTimeout is " + options.ackTimeout());
            }
        }
        if (options.maxDeliveries() > 0) {
            require(Capability.DELIVERY_COUNT, "ConsumerOptions.maxDeliveries");
        }
        if (options.deadLetterTopic() != null) {
            require(Capability.DEAD_LETTER, "ConsumerOptions.deadLetterTopic");
        }
        if (options.keyOrdered()) {
            require(Capability.KEY_ORDERING, "ConsumerOptions.keyOrdered");
        }
        // made with the caller's interrupt flag cleared (set again after), as a send is: clients that see the flag fail
        // the set-up with their own exception types, or (jnats) drop the subscription and break the connection
        ConsumerDriver d = Uninterruptibly.withFlagCleared(() -> driver.createConsumer(options));
        String dlq = options.deadLetterTopic();
        Settlements settlements = new Settlements(provider, capabilities, options, d,
                dlq == null ? null : m -> deadLetterProducer(dlq).sendInternal(m), interceptors);
        Interceptors.Opened observed = interceptors == null ? null : interceptors.consumerOpened(options.topic(), options.group(), d);
        java.util.function.Consumer<CoreConsumer> onClose = observed == null ? consumers::remove : closing -> {
            consumers.remove(closing);
            interceptors.consumerClosed(observed);
        };
        CoreConsumer c = new CoreConsumer(options, d, settlements, this::timer, onClose, this::health);
        consumers.add(c);
        if (closed.get()) {
            c.close();
            throw closedError();
        }
        return c;
    }

    @Override
    public Transaction beginTransaction() {
        ensureOpen();
        require(Capability.TRANSACTIONS, "MessagingClient.beginTransaction");
        return new CoreTransaction(this, driver);
    }

    @Override
    public void deleteTopic(String topic, java.util.Collection<String> groups) {
        ensureOpen();
        Names.checkTopic(topic);
        java.util.Set<String> checked = new java.util.LinkedHashSet<>();
        for (String g : groups) {
            Names.checkGroup(g);
            checked.add(g);
        }
        require(Capability.TOPIC_DELETION, "MessagingClient.deleteTopic");
        driver.deleteTopic(topic, java.util.Collections.unmodifiableSet(checked));
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        T t = driver.unwrap(type);
        if (t == null) {
            throw new IllegalArgumentException(provider + " has no native object of type " + type.getName());
        }
        return t;
    }

    @Override
    public long interceptorFailures() {
        return interceptors == null ? 0 : interceptors.failures();
    }

    @Override
    public void close() {
        Uninterruptibly.runWithFlagCleared(this::closeOnce);
    }

    /**
     * Closes the consumers, then the producers (each waits for its sends in flight), then the driver. With the caller's
     * interrupt flag cleared ({@link #close}): a client closed from a finally block after an {@code InterruptedException}
     * or by a task of a pool shut down closes everything (native clients that see the flag leave threads and
     * connections open or throw their own exception types), and the flag is set again after.
     */
    private void closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        fixedHealth = Health.of(Health.State.CLOSED, provider + ": closed by the application", java.time.Instant.now());
        for (CoreConsumer c : consumers) {
            closeQuietly(c);
        }
        for (CoreProducer p : producers) {
            closeQuietly(p);
        }
        for (CoreProducer p : deadLetterProducers.values()) {
            closeQuietly(p);
        }
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        driver.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error while closing {}: {}", c, e.toString());
        }
    }

    @Override
    public String toString() {
        return "MessagingClient{provider=" + provider + ", url=" + config.url() + (closed.get() ? ", closed" : "") + "}";
    }

    // ---- used by the core's producers and consumers ----

    void require(Capability capability, String whatNeedsIt) {
        if (!capabilities.has(capability)) {
            throw new UnsupportedCapabilityException(capability, provider, whatNeedsIt);
        }
    }

    void ensureOpen() {
        if (closed.get()) {
            throw closedError();
        }
    }

    private ClosedException closedError() {
        return new ClosedException("the " + provider + " client is closed");
    }

    void forget(CoreProducer p) {
        producers.remove(p);
    }

    /** The producer the core uses to dead-letter into a topic; one per topic, closed with the client. */
    CoreProducer deadLetterProducer(String topic) {
        ensureOpen();
        return deadLetterProducers.computeIfAbsent(topic, t -> {
            ProducerOptions o = ProducerOptions.of(t);
            return new CoreProducer(this, o, Uninterruptibly.withFlagCleared(() -> driver.createProducer(o)));
        });
    }

    /** One daemon timer per client for the core's periodic work (ack-timeout sweeps). */
    ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread th = new Thread(r, "anymq-" + provider + "-timer");
                        th.setDaemon(true);
                        return th;
                    });
                    timer = t;
                }
            }
        }
        return t;
    }

    /** The client's interceptors, or null when none is installed. */
    Interceptors interceptors() {
        return interceptors;
    }

    String providerName() {
        return provider;
    }

    SendChecks sendChecks() {
        return sendChecks;
    }

    /** Whether the delivery came from one of this client's open consumers. */
    boolean received(CoreDelivery d) {
        for (CoreConsumer c : consumers) {
            if (c.owns(d)) {
                return true;
            }
        }
        return false;
    }
}
