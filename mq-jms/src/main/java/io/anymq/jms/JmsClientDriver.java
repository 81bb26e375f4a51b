package io.anymq.jms;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.MessagingException;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JMS connection to one broker: producers send on pooled sessions, each consumer has a session
 * of its own, and resends (nack, release) run on a small pool of settlement threads so that
 * neither the caller's timer nor a push handler blocks on them.
 */
final class JmsClientDriver implements ClientDriver {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final Dialect dialect;
    private final JmsSettings settings;
    private final ConnectionFactory factory;
    private final Connection connection;
    private final Capabilities capabilities;
    private final SessionPool senders;
    /** Transacted sessions, made when the first transaction commits. */
    private final SessionPool transacted;
    private final ExecutorService settler;
    /** Where send futures complete when the client would call back on its I/O thread (see {@link Dialect#callsBackOnIoThread}); else null. */
    private final ExecutorService callbacks;
    /** Fed by the dialect's connection listeners ({@link Dialect#watch}). */
    private final io.anymq.spi.ConnectionState state;

    JmsClientDriver(Dialect dialect, JmsSettings settings, ConnectionFactory factory, Connection connection, Capabilities capabilities) {
        this.dialect = dialect;
        this.settings = settings;
        this.factory = factory;
        this.connection = connection;
        this.capabilities = capabilities;
        this.senders = new SessionPool(this::newSession, false, this::closeSession);
        this.transacted = new SessionPool(this::newSession, true, this::closeSession);
        this.state = new io.anymq.spi.ConnectionState(dialect.brokerName() + " at " + settings.host() + ":" + settings.port());
        try {
            dialect.watch(connection, state);
        } catch (JMSException e) {
            throw error("watch the connection", e);
        }
        int n = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "anymq-" + dialect.scheme() + "-" + n + "-settle-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.settler = pool;
        if (dialect.callsBackOnIoThread()) {
            // one thread, so that the sends of one session complete in their order
            ThreadPoolExecutor c = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "anymq-" + dialect.scheme() + "-" + n + "-callbacks");
                t.setDaemon(true);
                return t;
            });
            c.allowCoreThreadTimeOut(true);
            this.callbacks = c;
        } else {
            this.callbacks = null;
        }
    }

    /** Whether the connection is lost now (reconnecting or given up), as the dialect's watch last reported. */
    boolean connectionLost() {
        return state.lost();
    }

    /**
     * A new session of the client's connection. While the connection is lost, first waits for it to come back, up to
     * the send timeout, then fails: Artemis' and HornetQ's clients hold a session's creation until the reconnection
     * (the failover lock), ActiveMQ Classic's failover transport holds it too, for as long as the broker stays away.
     */
    Session newSession(boolean transacted, int mode) throws JMSException {
        awaitConnection("open a session");
        return connection.createSession(transacted, mode);
    }

    /**
     * The topic as a destination of the session, through the dialect; HornetQ's may create the topic on a session of
     * its own (see {@link #newSession}), so while the connection is lost this first waits for it as that does.
     */
    Destination topic(Session session, String topic) throws JMSException {
        awaitConnection("find the topic '" + topic + "'");
        return dialect.topic(session, topic);
    }

    /** While the connection is lost, waits up to the send timeout for it to come back; else fails, naming what could not be done. */
    private void awaitConnection(String what) throws JMSException {
        if (!state.awaitNotLost(settings.sendTimeout())) {
            throw new JMSException("the connection is lost and did not come back within the send timeout of " + settings.sendTimeout().toMillis()
                    + " ms: cannot " + what + " until it does (" + state.health().detail() + ")");
        }
    }

    /**
     * Closes a session, letting it go without asking the broker while the connection is lost
     * ({@link Dialect#abandon(Session)}). Failures are ignored: the session is gone either way.
     */
    void closeSession(Session session) {
        if (session == null) {
            return;
        }
        if (connectionLost()) {
            dialect.abandon(session);
        }
        try {
            session.close();
        } catch (JMSException | RuntimeException ignored) {
            // the connection is going or gone
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

    Dialect dialect() {
        return dialect;
    }

    JmsSettings settings() {
        return settings;
    }

    Connection connection() {
        return connection;
    }

    SessionPool senders() {
        return senders;
    }

    ExecutorService settler() {
        return settler;
    }

    /** The executor for {@link Dialect#send}'s callbacks (direct when the dialect calls back on a thread that may block). */
    java.util.concurrent.Executor callbacks() {
        return callbacks != null ? callbacks : Runnable::run;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        return new JmsProducerDriver(this, options.topic());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        return new JmsConsumerDriver(this, options);
    }

    /** A transaction's sends on a transacted session, committed together (see {@link JmsTransactions}). */
    @Override
    public java.util.concurrent.CompletableFuture<java.util.List<io.anymq.Receipt>> commit(io.anymq.spi.TransactionWork work) {
        return java.util.concurrent.CompletableFuture.completedFuture(new JmsTransactions(this, transacted).commit(work)); // a TransactionException thrown here reaches the core as it is
    }

    /** A JMS failure as a typed error naming this broker. */
    MessagingException error(String what, Throwable e) {
        return JmsErrors.translate(dialect.brokerName() + " at " + settings.host() + ":" + settings.port(), what, e);
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

    /** A wait of at most some nanoseconds for work under way: whether the work ended. */
    interface SliceWait {
        boolean await(long nanos) throws InterruptedException, java.util.concurrent.TimeoutException;
    }

    private static final long CLOSE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * A close's wait for work under way (settlements, resends), up to the send timeout, that lets the connection go
     * once it finds it lost: while it is lost, a call waiting for the broker cannot end before a reconnection (Artemis'
     * client holds a blocking call, an acknowledgement too, for the failover, up to the send timeout), and letting the
     * session or connection go ({@code letGo}: {@link Dialect#abandon}) ends it at once, failed. Checked every 100 ms,
     * so a connection lost during the wait is let go too. Returns whether the work ended within the send timeout; an
     * interrupt ends the wait with the flag set again.
     */
    boolean awaitLettingGoWhenLost(SliceWait wait, Runnable letGo) {
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        boolean letGone = false;
        try {
            while (true) {
                if (!letGone && connectionLost()) {
                    letGo.run();
                    letGone = true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    if (wait.await(Math.min(left, CLOSE_SLICE_NANOS))) {
                        return true;
                    }
                } catch (java.util.concurrent.TimeoutException slice) {
                    // the next slice
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        settler.shutdown();
        awaitLettingGoWhenLost(nanos -> settler.awaitTermination(nanos, TimeUnit.NANOSECONDS), () -> dialect.abandon(connection));
        if (connectionLost()) {
            dialect.abandon(connection); // does nothing when done already
        }
        senders.close();
        transacted.close();
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // closing anyway
        }
        if (callbacks != null) {
            callbacks.shutdown(); // after the connection: sends it fails on close still complete their futures
        }
    }

    @Override
    public String toString() {
        return "JmsClientDriver{" + dialect.scheme() + ", " + settings + ", " + capabilities + "}";
    }
}
