package io.anymq.jms;

import io.anymq.ConsumerOptions;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
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
 * thread. An ack acknowledges that one message and returns when the broker has it (see
 * {@link Dialect#acknowledge}: ActiveMQ Classic's synchronous individual ack; Artemis and HornetQ: the
 * individual ack, then a commit that is waited for); both clients guard their connection with their
 * own locks. Settlements of one member are serialized by a lock of their own, never held while polling.
 *
 * <p>A nack or a release resends: a copy for this group only (see {@link Dialect#groupOnly}),
 * held by the broker for the nack's delay, that carries the deliveries so far; then the original
 * is acknowledged. A crash in between duplicates the message, never loses it. A reject
 * acknowledges (the core has already dead-lettered it where configured).
 */
final class JmsConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(JmsConsumerDriver.class);
    private static final int MAX_PREFETCH = 1000;

    private final JmsClientDriver client;
    private final String topic;
    private final String group;
    private final Session session;
    private final MessageConsumer consumer;
    /** Whether the consumer holds more already received messages (so that receiveNoWait costs no round trip). */
    private final BooleanSupplier holdsMore;
    /** Where a copy for this group only goes, made on the first resend. */
    private volatile Destination groupOnly;
    private final Object settleLock = new Object();
    /** Settlements under way (resends on the settler): close waits for them. */
    private final Phaser pending = new Phaser(1);
    private volatile boolean closed;

    JmsConsumerDriver(JmsClientDriver client, ConsumerOptions options) {
        this.client = client;
        this.topic = options.topic();
        this.group = options.group();
        Session s = null;
        try {
            s = client.connection().createSession(false, client.dialect().individualAcknowledgeMode());
            this.consumer = client.dialect().join(s, topic, group, Math.min(MAX_PREFETCH, options.maxInFlight()));
            this.holdsMore = client.dialect().holdsMore(consumer);
            this.session = s;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(s);
            throw client.error("join group '" + group + "' of topic '" + topic + "' (queue " + client.dialect().queueName(topic, group) + ")", e);
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
        try {
            long waitMs = timeout.toMillis();
            Message first = waitMs <= 0 ? consumer.receiveNoWait() : consumer.receive(waitMs);
            checkInterrupt();
            if (first == null) {
                return List.of();
            }
            List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
            out.add(delivery(first));
            Message next;
            while (out.size() < max && holdsMore.getAsBoolean() && (next = consumer.receiveNoWait()) != null) {
                out.add(delivery(next));
            }
            return out;
        } catch (JMSException | RuntimeException e) {
            if (closed) {
                return List.of();
            }
            if (Thread.currentThread().isInterrupted() || JmsErrors.find(e, InterruptedException.class) != null) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while receiving from '" + topic + "'");
            }
            throw client.error("receive from group '" + group + "' of topic '" + topic + "'", e);
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private JmsDelivery delivery(Message m) throws JMSException {
        int jmsCount = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : (m.getJMSRedelivered() ? 2 : 1);
        int count = JmsMessages.earlierDeliveries(m) + Math.max(1, jmsCount);
        return new JmsDelivery(this, m, JmsMessages.fromJms(m), count);
    }

    /** Acknowledges this one message; returns when the broker has the ack. */
    CompletableFuture<Void> acknowledge(Message m, String what) {
        try {
            synchronized (settleLock) {
                client.dialect().acknowledge(session, m);
            }
            return CompletableFuture.completedFuture(null);
        } catch (JMSException | RuntimeException e) {
            return CompletableFuture.failedFuture(client.error(what + " a message of group '" + group + "' on topic '" + topic + "'", e));
        }
    }

    /**
     * Sends a copy for this group only, held for the delay, that counts {@code deliveries} so far;
     * then acknowledges the original. Runs on the client's settlement threads.
     */
    CompletableFuture<Void> resend(JmsDelivery d, Duration delay, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (pending.register() < 0) {
            return CompletableFuture.failedFuture(client.error(what + " a message", new IllegalStateException("the consumer is closed")));
        }
        try {
            client.settler().execute(() -> {
                try {
                    CompletableFuture<Void> stored = client.senders().with(lease -> {
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
                    awaitStored(stored); // the original is acknowledged only once the copy is stored
                    acknowledge(d.raw(), what).whenComplete((v, e) -> {
                        if (e != null) {
                            // the copy is there; the original will come again too: a duplicate, not a loss
                            LOG.debug("the original of a resent message of group '{}' was not acknowledged: {}", group, e.toString());
                            done.completeExceptionally(e);
                        } else {
                            done.complete(null);
                        }
                    });
                } catch (JMSException | RuntimeException e) {
                    done.completeExceptionally(client.error(what + " a message of group '" + group + "' on topic '" + topic + "'", e));
                } finally {
                    pending.arriveAndDeregister();
                }
            });
        } catch (RuntimeException rejected) {
            pending.arriveAndDeregister();
            return CompletableFuture.failedFuture(client.error(what + " a message", rejected));
        }
        return done;
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
        // resends under way (releases on close) finish before the session goes, so that each original is acknowledged
        try {
            pending.awaitAdvanceInterruptibly(pending.arriveAndDeregister(), client.settings().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("closing the consumer of group '{}' on '{}' before its resends finished; their messages may come twice", group, topic);
        }
        try {
            consumer.close();
        } catch (JMSException | RuntimeException ignored) {
            // the session goes next
        }
        closeQuietly(session);
    }

    private static void closeQuietly(Session s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (JMSException | RuntimeException ignored) {
            // the connection is going or gone
        }
    }

    @Override
    public String toString() {
        return "JmsConsumerDriver{" + client.dialect().scheme() + ", topic=" + topic + ", group=" + group + "}";
    }
}
