package io.anymq.rocketmq;

import io.anymq.MessagingException;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReadAhead;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One SimpleConsumer of one group on one topic. The proxy long-polls for at least 5 s, longer than
 * one {@link #poll} may wait, so a receive stays outstanding across polls: each poll waits on it for
 * at most its timeout. What a receive brings while no poll takes it (the caller stopped receiving)
 * is given back to the group after {@link #UNCLAIMED}, so that another member gets it instead of it
 * waiting out the invisible duration; and what arrives after close is given back too.
 */
final class RocketMqConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RocketMqConsumerDriver.class);
    /** How long received messages may wait for a poll before they are given back to the group. */
    static final Duration UNCLAIMED = Duration.ofMillis(500);
    /** The most one receive asks for: the proxy's limit. */
    static final int MAX_BATCH = 32;
    private static final ScheduledExecutorService TIMER = RocketMqTimer.TIMER;

    private final SimpleConsumer consumer;
    private final Duration invisible;
    /** The most one receive asks for: {@link #MAX_BATCH}, or 1 in a FIFO group (see the constructor). */
    private final int batch;
    private final Object lock = new Object();
    private final ReadAhead<RocketMqDelivery> ahead = new ReadAhead<>();
    private CompletableFuture<List<MessageView>> pending;
    private long lastPollNanos = System.nanoTime();
    private boolean closed;

    /**
     * @param batch the most one receive asks for. A FIFO group's member asks for one: the broker hands
     *              out a queue's next message only after the ones before it were settled, and a message
     *              nacked in a batch of several would come back together with the rest of its batch
     *              (acked or not: the broker restarts the queue at the first unacked offset), after
     *              later messages of its key had already been handed to the application.
     */
    RocketMqConsumerDriver(SimpleConsumer consumer, Duration invisible, int batch) {
        this.consumer = consumer;
        this.invisible = invisible;
        this.batch = batch;
    }

    SimpleConsumer nativeConsumer() {
        return consumer;
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        CompletableFuture<List<MessageView>> f;
        synchronized (lock) {
            lastPollNanos = System.nanoTime();
            if (!ahead.isEmpty()) {
                return ahead.drain(max);
            }
            // a receive that came back at once has been taken already (no longer pending): f is still its future
            f = pending != null ? pending : start(Math.min(batch, Math.max(1, max)));
        }
        try {
            f.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return List.of();
        } catch (ExecutionException e) {
            synchronized (lock) {
                if (pending == f) {
                    pending = null;
                }
            }
            MessagingException m = RocketMqErrors.map(e, "RocketMQ receive failed");
            if (m.isRetryable()) {
                return List.of();
            }
            throw m;
        }
        synchronized (lock) {
            lastPollNanos = System.nanoTime();
            // the receive completed: take its messages here if its callback has not run yet
            taken(f);
            return ahead.drain(max);
        }
    }

    /**
     * Starts a receive (called holding the lock); its messages go to the read-ahead, or back to the
     * group when closed. {@link #pending} is set before the callback is registered: a receive can
     * complete before that (the broker answered while this thread was descheduled), and then the
     * callback runs at once, in this thread; it must find the receive pending and end it, or the
     * consumer would keep waiting on a receive that is done and never ask the broker again.
     */
    private CompletableFuture<List<MessageView>> start(int batch) {
        CompletableFuture<List<MessageView>> f = consumer.receiveAsync(batch, invisible);
        pending = f;
        if (f.isDone() && LOG.isDebugEnabled()) {
            LOG.debug("a receive of group '{}' came back before its callback was registered", consumer.getConsumerGroup());
        }
        f.whenComplete((views, e) -> {
            synchronized (lock) {
                taken(f);
            }
        });
        return f;
    }

    /**
     * Ends the receive {@code f} once (its callback, or the poll that saw it complete, whichever holds
     * the lock first): no longer pending, its messages in the read-ahead (released when closed).
     */
    private void taken(CompletableFuture<List<MessageView>> f) {
        if (pending != f) {
            return; // ended already
        }
        pending = null;
        List<MessageView> views = f.isCompletedExceptionally() ? null : f.getNow(null);
        if (views == null || views.isEmpty()) {
            return;
        }
        for (MessageView v : views) {
            RocketMqDelivery d = new RocketMqDelivery(consumer, v);
            if (closed) {
                d.release();
            } else {
                ahead.add(d);
            }
        }
        if (!closed) {
            TIMER.schedule(this::giveBackUnclaimed, UNCLAIMED.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Gives back what no poll took since it came (nobody is receiving on this consumer now). */
    private void giveBackUnclaimed() {
        synchronized (lock) {
            if (System.nanoTime() - lastPollNanos >= UNCLAIMED.toNanos()) {
                ahead.takeAll(RocketMqDelivery::release);
            } else if (!ahead.isEmpty()) {
                TIMER.schedule(this::giveBackUnclaimed, UNCLAIMED.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The broker keeps the ack timeout: a received message is invisible for it, then redelivered. */
    @Override
    public boolean enforcesAckTimeout() {
        return true;
    }

    @Override
    public void close() {
        CompletableFuture<List<MessageView>> f;
        synchronized (lock) {
            closed = true;
            ahead.takeAll(RocketMqDelivery::release);
            if (pending != null && pending.isDone()) {
                taken(pending); // a receive that came back before its callback ran: release its messages
            }
            f = pending;
        }
        if (f == null || f.isDone()) {
            // settlements the core made while closing (releases) are in flight: let them reach the proxy first
            TIMER.schedule(this::closeNative, 500, TimeUnit.MILLISECONDS);
        } else {
            // the outstanding long poll ends within the await duration; its messages are released, then the client closes
            f.whenComplete((v, e) -> TIMER.schedule(this::closeNative, 500, TimeUnit.MILLISECONDS));
        }
    }

    /** On a thread of its own: the shared timer must not wait for a native close that may not return ({@link NativeClose}). */
    private void closeNative() {
        NativeClose.start(consumer, "consumer of group '" + consumer.getConsumerGroup() + "'");
    }
}
