package io.anymq.jms;

import io.anymq.ConsumerOptions;
import io.anymq.MessagingException;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Settlement;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A member of a group: a session of its own in the dialect's individual-acknowledge mode and a
 * consumer on the group's queue (see {@link Dialect#join}).
 *
 * <p>Threads: {@link #poll} runs on one thread at a time (the core's); settlements come from any
 * thread. An ack acknowledges that one message and completes when the broker has it durably.
 * Every dialect settles in batches (a settlement alone is a batch of one: {@link JmsDelivery}) ({@link #settle}): the core gathers the settlements made while a batch
 * is under way, and the batch's individual acks, sent without waiting, are made durable by one awaited
 * command (one journal sync per batch instead of per message): Artemis and HornetQ commit the session's
 * acks; ActiveMQ Classic sends the batch's last ack as a request ({@link Dialect#acknowledgeAndCommit}). Both clients guard their connection
 * with their own locks. Settlements of one member are serialized by a lock of their own, never held
 * while polling.
 *
 * <p>A nack or a release resends: a copy for this group only (see {@link Dialect#groupOnly}),
 * held by the broker for the nack's delay, that carries the deliveries so far; then the original
 * is acknowledged. A crash in between duplicates the message, never loses it. A reject
 * acknowledges (the core has already dead-lettered it where configured).
 */
final class JmsConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(JmsConsumerDriver.class);
    private static final int MAX_PREFETCH = 1000;
    /** The most settlements one commit carries. */
    static final int SETTLE_BATCH = 256;

    private final JmsClientDriver client;
    private final String topic;
    private final String group;
    private final int prefetch;
    /** The member's session and JMS consumer: made again when the dialect says they went stale ({@link #renew}). */
    private volatile Session session;
    private volatile MessageConsumer consumer;
    /** Whether the consumer holds more already received messages (so that receiveNoWait costs no round trip). */
    private volatile BooleanSupplier holdsMore;
    private volatile Dialect.TimedReceive receiver;
    /** Where a copy for this group only goes, made on the first resend. */
    private volatile Destination groupOnly;
    private final Object settleLock = new Object();
    /** Settlement batches under way on the settler (their resends too): close waits for them. */
    private final Phaser pending = new Phaser(1);
    private volatile boolean closed;

    JmsConsumerDriver(JmsClientDriver client, ConsumerOptions options) {
        this.client = client;
        this.topic = options.topic();
        this.group = options.group();
        this.prefetch = Math.min(MAX_PREFETCH, options.maxInFlight());
        try {
            join();
        } catch (JMSException | RuntimeException e) {
            throw client.error("join group '" + group + "' of topic '" + topic + "' (queue " + client.dialect().queueName(topic, group) + ")", e);
        }
    }

    /** A session of the member's own and its consumer on the group's queue. */
    private void join() throws JMSException {
        Session s = null;
        try {
            s = client.newSession(false, client.dialect().individualAcknowledgeMode());
            MessageConsumer c = client.dialect().join(s, topic, group, prefetch);
            this.holdsMore = client.dialect().holdsMore(c);
            this.receiver = client.dialect().receiver(c);
            this.consumer = c;
            this.session = s;
        } catch (JMSException | RuntimeException e) {
            client.closeSession(s);
            throw e;
        }
    }

    /**
     * Closes the member's session (what it holds unacknowledged goes back to the group, and comes again: a
     * duplicate, never a loss) and joins again. For a session the client left unusable: ActiveMQ Classic's
     * consumer, after a reconnect, acknowledges messages dispatched before it, the broker refuses them, and
     * every receive throws while the message it had taken is lost to this session.
     */
    private void renew(Exception why) throws JMSException {
        synchronized (settleLock) {
            Session old = session;
            LOG.warn("group '{}' on '{}': the client refused a receive after a reconnect ({}); joining again with a new session "
                    + "(its unsettled messages come again)", group, topic, JmsErrors.describe(why));
            client.closeSession(old);
            join();
        }
    }

    /**
     * One wait of at most {@code timeout} for a first message (the core loops), then what the client
     * has already received, up to {@code max} (never a round trip to ask the broker for more).
     */
    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        if (closed) {
            return List.of();
        }
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
        try {
            long waitMs = timeout.toMillis();
            long reconnects = client.dialect().reconnects(session);
            Message first = receiver.receive(Math.max(0, waitMs));
            if (first == null) {
                checkInterrupt();
                return List.of();
            }
            // a message in hand is returned even when the thread was interrupted meanwhile: the session holds it
            // as received, and would give it to nobody; the next wait sees the interrupt
            out.add(delivery(first, reconnects));
            Message next;
            while (out.size() < max && !Thread.currentThread().isInterrupted() && holdsMore.getAsBoolean()
                    && (next = consumer.receiveNoWait()) != null) {
                out.add(delivery(next, reconnects));
            }
            return out;
        } catch (JMSException | RuntimeException e) {
            if (closed) {
                return List.of();
            }
            if (!out.isEmpty()) {
                LOG.debug("group '{}' on '{}': returning the {} messages received before: {}", group, topic, out.size(), JmsErrors.describe(e));
                return out;
            }
            if (Thread.currentThread().isInterrupted() || JmsErrors.find(e, InterruptedException.class) != null) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while receiving from '" + topic + "'");
            }
            if (client.dialect().sessionWentStale(e)) {
                try {
                    renew(e);
                    return List.of(); // the core polls again, on the new session
                } catch (JMSException | RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            throw client.error("receive from group '" + group + "' of topic '" + topic + "'", e);
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private JmsDelivery delivery(Message m, long reconnects) throws JMSException {
        int jmsCount = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : (m.getJMSRedelivered() ? 2 : 1);
        int count = JmsMessages.earlierDeliveries(m) + Math.max(1, jmsCount);
        return new JmsDelivery(this, m, JmsMessages.fromJms(m), count, reconnects);
    }

    /** Sends a copy of the message for this group only, held for the delay; the future completes when the broker stored it. */
    private CompletableFuture<Void> sendCopy(JmsDelivery d, Duration delay) throws JMSException {
        return client.senders().with(lease -> {
            jakarta.jms.Message copy = JmsMessages.toJms(lease.session(), d.message(), d.deliveryCount(),
                    client.dialect().propertiesKeepSupplementaryCharacters());
            if (!delay.isZero()) {
                client.dialect().holdUntil(copy, System.currentTimeMillis() + delay.toMillis());
            }
            client.dialect().markForGroup(copy, group);
            Destination to = groupOnly;
            if (to == null) {
                to = client.dialect().groupOnly(lease.session(), topic, group);
                groupOnly = to;
            }
            return lease.send(client.dialect(), to, copy, client.callbacks());
        });
    }

    /**
     * Every dialect settles in batches of up to {@link #SETTLE_BATCH}. One {@link #settle} call at a time (the default
     * {@link #settlementCalls()}): a batch holds the member's settle lock until its commit returns, so a second call
     * could not overlap its round trip anyway.
     */
    @Override
    public int settlementBatch() {
        return SETTLE_BATCH;
    }

    /**
     * Carries out a batch on a settlement thread: first the copies of the nacks and releases are sent
     * (pipelined) and waited for; then the originals of every settlement whose copy is stored, and of
     * every ack and reject, are acknowledged without waiting, and one commit, waited for, makes them
     * durable together (the batch's last ack carries the commit: {@link Dialect#acknowledgeAndCommit}). A settlement
     * succeeds only once that commit returned and, where acks can be lost silently by a reconnect
     * ({@link Dialect#reconnects}), no reconnect came between its message's receive and the commit (else the whole
     * batch fails: in doubt); a failed commit fails
     * exactly the settlements whose acks it carried (their messages come again; a nack's stored copy
     * then comes twice: a duplicate, never a loss); a copy that was not stored fails its settlement
     * alone, and its original is not acknowledged.
     */
    @Override
    public CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        if (pending.register() < 0) {
            return CompletableFuture.failedFuture(client.error("settle " + batch.size() + " messages",
                    new IllegalStateException("the consumer is closed")));
        }
        CompletableFuture<List<Throwable>> done = new CompletableFuture<>();
        try {
            client.settler().execute(() -> {
                try {
                    done.complete(settleNow(batch));
                } catch (RuntimeException | Error e) {
                    done.completeExceptionally(client.error("settle " + batch.size() + " messages of group '" + group + "' on topic '" + topic + "'", e));
                } finally {
                    pending.arriveAndDeregister();
                }
            });
        } catch (RuntimeException rejected) {
            pending.arriveAndDeregister();
            return CompletableFuture.failedFuture(client.error("settle " + batch.size() + " messages", rejected));
        }
        return done;
    }

    private List<Throwable> settleNow(List<Settlement> batch) {
        int n = batch.size();
        Throwable[] failures = new Throwable[n];
        List<CompletableFuture<Void>> copies = new ArrayList<>(java.util.Collections.nCopies(n, null));
        for (int i = 0; i < n; i++) {
            Settlement s = batch.get(i);
            if (s.kind() == Settlement.Kind.NACK || s.kind() == Settlement.Kind.RELEASE) {
                try {
                    copies.set(i, sendCopy((JmsDelivery) s.delivery(), s.kind() == Settlement.Kind.NACK ? s.delay() : Duration.ZERO));
                } catch (JMSException | RuntimeException e) {
                    failures[i] = client.error(verb(s.kind()) + " a message of group '" + group + "' on topic '" + topic + "'", e);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (copies.get(i) != null) {
                try {
                    awaitStored(copies.get(i)); // the original is acknowledged only once the copy is stored
                } catch (JMSException e) {
                    failures[i] = client.error(verb(batch.get(i).kind()) + " a message of group '" + group + "' on topic '" + topic + "'", e);
                }
            }
        }
        List<Integer> carried = new ArrayList<>(n);
        int last = n - 1;
        while (last >= 0 && failures[last] != null) {
            last--;
        }
        if (last < 0) {
            return java.util.Arrays.asList(failures);
        }
        synchronized (settleLock) {
            for (int i = 0; i < last; i++) {
                if (failures[i] != null) {
                    continue;
                }
                try {
                    client.dialect().acknowledgeUncommitted(session, ((JmsDelivery) batch.get(i).delivery()).raw());
                    carried.add(i);
                } catch (JMSException | RuntimeException e) {
                    failures[i] = client.error(verb(batch.get(i).kind()) + " a message of group '" + group + "' on topic '" + topic + "'", e);
                }
            }
            carried.add(last);
            try {
                client.dialect().acknowledgeAndCommit(session, ((JmsDelivery) batch.get(last).delivery()).raw());
                long now = client.dialect().reconnects(session);
                for (int i : carried) {
                    if (((JmsDelivery) batch.get(i).delivery()).reconnects() != now) {
                        throw new JMSException("the connection was re-established after the message was received: its ack may or may not "
                                + "have been applied (the broker refuses acks of deliveries from before a reconnect without answering)");
                    }
                }
            } catch (JMSException | RuntimeException e) {
                MessagingException failed = client.error("commit the acknowledgements of " + carried.size()
                        + " messages of group '" + group + "' on topic '" + topic + "' (they may be delivered again)", e);
                for (int i : carried) {
                    failures[i] = failed;
                }
            }
        }
        return java.util.Arrays.asList(failures);
    }

    private static String verb(Settlement.Kind kind) {
        return switch (kind) {
            case ACK -> "acknowledge";
            case NACK -> "nack";
            case REJECT -> "reject";
            case RELEASE -> "release";
        };
    }

    /** Waits (on a settlement thread) for a resent copy to be stored, at most {@code send-timeout}. */
    private void awaitStored(CompletableFuture<Void> stored) throws JMSException {
        try {
            stored.get(client.settings().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw linked("interrupted while resending", e);
        } catch (TimeoutException e) {
            throw linked("the broker did not confirm the resent copy within " + client.settings().sendTimeout(), e);
        } catch (ExecutionException e) {
            throw linked("the broker refused the resent copy", e.getCause());
        }
    }

    private static JMSException linked(String what, Throwable cause) {
        JMSException je = new JMSException(what + (cause == null ? "" : ": " + cause));
        if (cause instanceof Exception ex) {
            je.setLinkedException(ex);
        }
        je.initCause(cause);
        return je;
    }

    @Override
    public void close() {
        closed = true;
        // resends under way (releases on close) finish before the session goes, so that each original is acknowledged;
        // while the connection is lost they cannot: the session is let go, which fails them (their messages come again)
        int phase = pending.arriveAndDeregister();
        boolean ended = client.awaitLettingGoWhenLost(nanos -> {
            pending.awaitAdvanceInterruptibly(phase, nanos, TimeUnit.NANOSECONDS); // returns once the batches under way ended
            return true;
        }, () -> client.dialect().abandon(session));
        if (!ended && !Thread.currentThread().isInterrupted()) {
            LOG.warn("closing the consumer of group '{}' on '{}' before its settlements finished; their messages may come twice", group, topic);
        }
        if (client.connectionLost()) {
            client.dialect().abandon(session); // else the consumer's close waits for the broker (does nothing when done already)
        }
        try {
            consumer.close();
        } catch (JMSException | RuntimeException ignored) {
            // the session goes next
        }
        client.closeSession(session);
    }

    @Override
    public String toString() {
        return "JmsConsumerDriver{" + client.dialect().scheme() + ", topic=" + topic + ", group=" + group + "}";
    }
}
