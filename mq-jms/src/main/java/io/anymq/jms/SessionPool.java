package io.anymq.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;

/**
 * Sending sessions lent to one thread at a time (a JMS session is single-threaded): each holds an
 * anonymous persistent producer (transacted sessions for transactions, whose work ends with a commit or
 * a rollback, so that a session goes back to the pool with no transaction open). A session that failed is dropped, not returned. An asynchronous send
 * gives its session back as soon as the send call returns (the client orders and answers the sends
 * of a session by itself); the next sender on that session pipelines behind it.
 */
final class SessionPool {
    /** A session with its anonymous producer. */
    record Lease(Session session, MessageProducer producer, SessionPool pool) {
        /**
         * Sends persistently through the dialect; the future completes when the broker has stored the message. A send
         * that blocks until the broker answers ({@link Dialect#sendsBlock()}: HornetQ's) runs on a thread of the pool's
         * own, and the caller waits for it however often it is interrupted: Artemis' client gives up the wait of an
         * interrupted thread after the packet went out, the message stored while the send says it failed (with an
         * interrupt every few milliseconds, every HornetQ send failed so).
         */
        CompletableFuture<Void> send(Dialect dialect, Destination to, jakarta.jms.Message m, Executor callbacks) throws JMSException {
            if (!dialect.sendsBlock()) {
                return dialect.send(producer, to, m, callbacks);
            }
            return pool.outOfReach(() -> dialect.send(producer, to, m, callbacks));
        }
    }

    /** Work done with a lent session. */
    interface Work<T> {
        T run(Lease lease) throws JMSException;
    }

    /** Opens a session of the client's connection: {@code (transacted, acknowledgeMode) -> session}. */
    interface Opener {
        Session open(boolean transacted, int acknowledgeMode) throws JMSException;
    }

    private final Opener opener;
    /** Whether the sessions are transacted (a transaction's sends, committed together) or auto-acknowledged. */
    private final boolean transacted;
    private final ConcurrentLinkedDeque<Lease> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** How a session leaves the pool (the client's close, which lets it go without the broker while the connection is lost). */
    private final java.util.function.Consumer<Session> closer;

    SessionPool(Opener opener, boolean transacted, java.util.function.Consumer<Session> closer) {
        this.opener = opener;
        this.transacted = transacted;
        this.closer = closer;
    }

    /**
     * Runs the work on an idle session (or a new one); a session whose work failed is closed. An interrupt flag set
     * before the call is kept for after it, not seen by the client: Artemis' client (HornetQ's too) fails a blocking
     * call made with the flag set after its packet went out (a HornetQ send, whose message is then stored while the send
     * says it failed), and a failed session is dropped, so every later send from that thread would fail too.
     */
    <T> T with(Work<T> work) throws JMSException {
        return io.anymq.spi.Uninterruptibly.withFlagCleared(() -> lent(work));
    }

    private <T> T lent(Work<T> work) throws JMSException {
        Lease lease = idle.pollFirst();
        if (lease == null) {
            Session s = transacted ? opener.open(true, Session.SESSION_TRANSACTED) : opener.open(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(null);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            lease = new Lease(s, p, this);
        }
        boolean ok = false;
        try {
            T result = work.run(lease);
            ok = true;
            return result;
        } finally {
            if (ok && !closed) {
                idle.offerFirst(lease);
            } else {
                closeQuietly(lease);
            }
        }
    }

    /** Runs blocking sends for their callers (see {@link Lease#send}); threads come and go with use. */
    private final java.util.concurrent.ExecutorService blocking = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "anymq-jms-blocking-send");
        t.setDaemon(true);
        return t;
    });

    private <T> T outOfReach(Work0<T> work) throws JMSException {
        java.util.concurrent.Future<T> f;
        try {
            f = blocking.submit(work::run);
        } catch (java.util.concurrent.RejectedExecutionException closedPool) {
            return work.run();
        }
        return JmsErrors.awaitCall(f);
    }

    /** Work without a session of its own. */
    private interface Work0<T> {
        T run() throws JMSException;
    }

    void close() {
        blocking.shutdown();
        closed = true;
        Lease l;
        while ((l = idle.pollFirst()) != null) {
            closeQuietly(l);
        }
    }

    private void closeQuietly(Lease l) {
        closer.accept(l.session());
    }
}
