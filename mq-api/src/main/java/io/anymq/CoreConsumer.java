package io.anymq;

import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The portable consumer: owns the receive loop (the driver's poll waits one short slice at a time;
 * this loops to the caller's deadline and sees close, wake-up and interrupt in between), bounds
 * unsettled deliveries, keeps the settlement bookkeeping, enforces the ack timeout where the broker
 * does not, dead-letters exhausted messages, and returns unsettled deliveries to the group on close.
 * The driver only fetches and settles.
 */
final class CoreConsumer implements Consumer {
    private static final Logger LOG = LoggerFactory.getLogger(CoreConsumer.class);

    private static final long POLL_SLICE_NANOS = ConsumerDriver.MAX_POLL_WAIT.toNanos();
    /** How long close waits for the releases of what the consumer held, and for the settlements on the way, before it closes the driver. */
    private static final Duration CLOSE_RELEASE_WAIT = Duration.ofSeconds(10);
    private static final long NOT_A_RECEIVE = Long.MIN_VALUE;

    /** Tells the client that made this consumer that it closed. */
    private final java.util.function.Consumer<CoreConsumer> onClose;
    private final ConsumerOptions options;
    private final ConsumerDriver driver;
    private final Settlements settlements;
    private final int maxInFlight;
    private final long ackTimeoutNanos;
    /** The read-ahead bound last passed to the driver (polling thread only); unlimited until a subscription or receive sets it. */
    private int readAheadLimit = Integer.MAX_VALUE;
    /**
     * Paces what the driver reads ahead for {@link #receive}: as many as the application takes within the hand-off window, the
     * time it spends between receives per delivery measured as a push subscription measures its handler calls.
     */
    private final HandOffPace receivePace;
    /** When the last receive returned and how many deliveries it returned (pollLock). */
    private long lastReceiveReturned;
    private int lastReceiveCount;
    /** The consumer set an ack timeout: every delivery has a deadline, after which a settlement throws EXPIRED. */
    private final boolean tracksDeadlines;
    /** The broker does not redeliver by itself: at the deadline the core gives the message back (a release). */
    private final boolean coreEnforcesAckTimeout;

    private final ReentrantLock pollLock = new ReentrantLock();
    private final AtomicInteger unsettled = new AtomicInteger();
    /**
     * The deliveries of each poll, polls in the order they were received (so in deadline order); settled ones are
     * dropped lazily. One entry per poll, not per delivery: a poll of 64 costs the queue one node and two CASes.
     */
    private final ConcurrentLinkedQueue<Polled> outstanding = new ConcurrentLinkedQueue<>();
    private int outstandingSize; // deliveries in outstanding; guarded by pollLock
    private final Object room = new Object();
    private volatile int roomWaiters;
    private final ScheduledFuture<?> sweeper;
    private volatile PushSubscription subscription;
    /** Asks the receive loop under way to return now (a subscription stopping). */
    private volatile boolean wakeup;
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);
    /** The client's health, for the connection-loss timeout. */
    private final java.util.function.Supplier<Health> health;
    private final Duration connectionLossTimeout;

    /**
     * @param settlements what its deliveries may do and how they reach the driver
     * @param timer       the client's timer, for the ack-timeout sweep (made on first use)
     * @param onClose     called once when the consumer closed
     * @param health      the client's health (cheap), for {@link ConsumerOptions#connectionLossTimeout()}
     */
    CoreConsumer(ConsumerOptions options, ConsumerDriver driver, Settlements settlements,
                 java.util.function.Supplier<java.util.concurrent.ScheduledExecutorService> timer,
                 java.util.function.Consumer<CoreConsumer> onClose, java.util.function.Supplier<Health> health) {
        this.onClose = onClose;
        this.health = health;
        this.connectionLossTimeout = options.connectionLossTimeout();
        this.options = options;
        this.driver = driver;
        this.settlements = settlements;
        this.maxInFlight = options.maxInFlight();
        this.tracksDeadlines = options.ackTimeout() != null;
        this.coreEnforcesAckTimeout = tracksDeadlines && !driver.enforcesAckTimeout();
        settlements.releaseOnExpiry = coreEnforcesAckTimeout;
        settlements.onBacklogProgress = this::wakeRoomWaiters;
        settlements.onSettled = this::settled;
        this.ackTimeoutNanos = options.ackTimeout() == null ? Long.MAX_VALUE : Deadlines.nanos(options.ackTimeout());
        this.receivePace = new HandOffPace(options.ackTimeout(), 1);
        if (tracksDeadlines) {
            // also where the broker redelivers by itself: the deadline passed, the message may be another
            // member's now, and a settlement of this delivery must not touch it (it throws EXPIRED)
            long period = Math.max(5, Math.min(100, options.ackTimeout().toMillis() / 10));
            this.sweeper = timer.get().scheduleWithFixedDelay(this::expireOverdue, period, period, TimeUnit.MILLISECONDS);
        } else {
            this.sweeper = null;
        }
    }

    @Override
    public String topic() {
        return options.topic();
    }

    @Override
    public String group() {
        return options.group();
    }

    @Override
    public Optional<Delivery> receive(Duration timeout) {
        List<Delivery> one = receive(1, timeout);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    @Override
    public List<Delivery> receive(int max, Duration timeout) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (timeout == null) {
            throw new IllegalArgumentException("the receive timeout is null");
        }
        ensureOpen();
        if (subscription != null) {
            throw new IllegalStateException("this consumer pushes to a subscription; receive is not allowed");
        }
        List<CoreDelivery> got = fetch(max, timeout, System.nanoTime());
        return got.isEmpty() ? List.of() : new ArrayList<>(got);
    }

    /**
     * Bounds the driver's read-ahead for receive (pollLock): a delivery read ahead waits in the driver until the application
     * asks for it, and on brokers that time the ack timeout from their hand-out it runs out there if the application takes
     * deliveries more slowly than the driver reads them; with several members another then takes it over while this one
     * still hands it out, and both work on it. So the driver reads ahead only what the application takes within the
     * hand-off window at its measured pace (its time between receives per delivery); never less than a receive asks for.
     *
     * @param entered when this receive was called
     */
    private void paceReceive(long entered) {
        if (lastReceiveCount > 0) {
            receivePace.measured(lastReceiveCount, entered - lastReceiveReturned);
        }
        limitReadAhead(receivePace.perHandler());
    }

    /** Notes what a receive returned, for {@link #paceReceive} (pollLock). */
    private void received(int count) {
        lastReceiveReturned = System.nanoTime();
        lastReceiveCount = count;
    }

    /** Passes the read-ahead bound of a push subscription or of receive to the driver when it changed (pollLock or the poller). */
    void limitReadAhead(int most) {
        if (most != readAheadLimit) {
            readAheadLimit = most;
            driver.limitReadAhead(most);
        }
    }

    /**
     * Waits for room and deliveries, up to the timeout; used by receive and by push dispatch.
     * Returns an empty list on timeout, close or wake-up. The receive loop: the driver waits at most
     * one slice per poll, so close, wake-up and interrupt are seen within a slice.
     */
    List<CoreDelivery> fetch(int max, Duration timeout) {
        return fetch(max, timeout, NOT_A_RECEIVE);
    }

    /**
     * @param receiveEntered when a receive was called ({@link System#nanoTime()}); {@link #NOT_A_RECEIVE} for a push
     *                       subscription's fetch, which paces the driver itself
     */
    private List<CoreDelivery> fetch(int max, Duration timeout, long receiveEntered) {
        long deadline = Deadlines.fromNow(timeout);
        try {
            int free = awaitRoom(deadline);
            if (free <= 0) {
                return List.of();
            }
            long left = deadline - System.nanoTime();
            if (!pollLock.tryLock(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return List.of();
            }
            List<CoreDelivery> got = List.of();
            try {
                if (receiveEntered != NOT_A_RECEIVE) {
                    paceReceive(receiveEntered);
                }
                while (!closed && !wakeup) {
                    free = room();
                    if (free <= 0) {
                        return List.of();
                    }
                    left = Math.max(0, deadline - System.nanoTime());
                    Duration wait = left >= POLL_SLICE_NANOS ? ConsumerDriver.MAX_POLL_WAIT : Duration.ofNanos(left);
                    got = admit(pollDriver(Math.min(max, free), wait));
                    if (got.isEmpty()) {
                        checkConnection();
                    }
                    if (!got.isEmpty() || deadline - System.nanoTime() <= 0) {
                        return got;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                return List.of();
            } finally {
                if (receiveEntered != NOT_A_RECEIVE) {
                    received(got.size());
                }
                wakeup = false;
                pollLock.unlock();
            }
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while receiving from '" + topic() + "'", e);
        }
    }

    /**
     * One driver poll. A driver whose native client refuses calls while it reconnects (xmemcached: "no
     * available connection") throws {@link ConnectionException}; while the client's health says the
     * connection is lost, that is a poll that got nothing (the loss is reported as for every driver, once
     * it lasted the connection-loss timeout), after waiting the poll's time instead of asking again at
     * once. Thrown as it is while the connection is up: a refusal of the driver's own.
     */
    private List<DriverDelivery> pollDriver(int max, Duration wait) throws InterruptedException {
        try {
            return driver.poll(max, wait);
        } catch (ConnectionException e) {
            if (!connectionLost(health.get())) {
                throw e;
            }
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            return List.of();
        }
    }

    private static boolean connectionLost(Health h) {
        return h.state() == Health.State.RECONNECTING || h.state() == Health.State.DISCONNECTED;
    }

    /**
     * After a poll that got nothing: throws when the client's connection has been lost for longer than
     * the connection-loss timeout. One volatile read while connected.
     */
    private void checkConnection() {
        Health h = health.get();
        if (!connectionLost(h)) {
            return;
        }
        Duration lost = Duration.between(h.since(), java.time.Instant.now());
        if (lost.compareTo(connectionLossTimeout) >= 0) {
            throw new ConnectionException("receiving from '" + topic() + "' (group '" + group() + "'): the connection has been lost for "
                    + lost.toSeconds() + " s, longer than ConsumerOptions.connectionLossTimeout (" + connectionLossTimeout.toSeconds()
                    + " s), and is not back: " + h.detail(), null);
        }
    }

    /** Wraps polled deliveries; dead-letters those already over the maximum deliveries. */
    private List<CoreDelivery> admit(List<DriverDelivery> polled) {
        if (polled.isEmpty()) {
            return List.of();
        }
        long deadline = tracksDeadlines ? System.nanoTime() + ackTimeoutNanos : CoreDelivery.NO_DEADLINE;
        List<CoreDelivery> out = new ArrayList<>(polled.size());
        for (DriverDelivery dd : polled) {
            CoreDelivery d = new CoreDelivery(settlements, dd, deadline);
            unsettled.incrementAndGet();
            if (closed) {
                d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
                continue;
            }
            if (settlements.exhaustedOnArrival(dd)) {
                d.deadLetterOnArrival().whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warn("dead-lettering message {} from '{}' failed; it stays in the group: {}", dd.message().id(), topic(), e.toString());
                    }
                });
                continue;
            }
            d.received();
            out.add(d);
        }
        if (!out.isEmpty()) {
            outstanding.add(new Polled(out)); // never changed afterwards: the caller gets a copy (receive) or only reads it (push)
            outstandingSize += out.size();
        }
        compactOutstanding();
        return out;
    }

    /** Drops settled polls from the head; compacts when a long-unsettled delivery holds many polls behind it. */
    private void compactOutstanding() {
        Polled head;
        while ((head = outstanding.peek()) != null && head.settledNow()) {
            outstanding.poll();
            outstandingSize -= head.deliveries.size();
        }
        if (outstandingSize > 4 * maxInFlight + 64) {
            outstanding.removeIf(Polled::settledNow);
            int n = 0;
            for (Polled p : outstanding) {
                n += p.deliveries.size();
            }
            outstandingSize = n;
        }
    }

    /** One poll's deliveries, in the order received. */
    private static final class Polled {
        final List<CoreDelivery> deliveries;
        /** How many at the front are known settled (pollLock). */
        private int settled;

        Polled(List<CoreDelivery> deliveries) {
            this.deliveries = deliveries;
        }

        /** Whether every delivery is settled now; moves past those at the front that are (pollLock). */
        boolean settledNow() {
            while (settled < deliveries.size() && deliveries.get(settled).isSettled()) {
                settled++;
            }
            return settled == deliveries.size();
        }
    }

    /**
     * How many more deliveries the consumer may take: below its in-flight bound, and while the settlements on the
     * way to a batching driver stay below their bound (the driver catches up first).
     */
    private int room() {
        return Math.min(maxInFlight - unsettled.get(), settlements.backlogRoom());
    }

    private int awaitRoom(long deadline) throws InterruptedException {
        int free = room();
        if (free > 0 || closed) {
            return closed ? 0 : free;
        }
        synchronized (room) {
            roomWaiters++;
            try {
                while ((free = room()) <= 0 && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return 0;
                    }
                    TimeUnit.NANOSECONDS.timedWait(room, left);
                }
                return closed ? 0 : free;
            } finally {
                roomWaiters--;
            }
        }
    }

    /** Called once per delivery when it leaves the unsettled state. */
    void settled() {
        unsettled.decrementAndGet();
        wakeRoomWaiters();
    }

    private void wakeRoomWaiters() {
        if (roomWaiters > 0) {
            synchronized (room) {
                room.notifyAll();
            }
        }
    }

    /**
     * The sweep of the ack timeout: expire overdue deliveries from the head (the core gives them back
     * where the broker does not redeliver by itself), and give their room back.
     */
    private void expireOverdue() {
        try {
            expireOverdue(System.nanoTime());
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: the consumer's ack timeout would stop for good
            LOG.warn("ack timeout sweep of group '{}' on '{}' failed; it runs again: {}", group(), topic(), e.toString());
        }
    }

    private void expireOverdue(long now) {
        for (Polled p : outstanding) {
            for (CoreDelivery d : p.deliveries) {
                if (d.deadlineNanos - now > 0) {
                    return; // received later, so due later
                }
                if (d.expire()) {
                    LOG.debug("ack timeout passed for message {} in group '{}'; returned for redelivery", d.message().id(), group());
                }
            }
        }
    }

    @Override
    public Subscription subscribe(DeliveryHandler handler, SubscribeOptions subscribeOptions) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is null");
        }
        if (subscribeOptions == null) {
            throw new IllegalArgumentException("subscribe options are null; Consumer.subscribe(handler) takes the defaults");
        }
        ensureOpen();
        if (settlements.allows(Capability.NACK_REDELIVERY) && subscribeOptions.retryDelay().compareTo(settlements.maxNackDelay) > 0) {
            throw new ConfigurationException("SubscribeOptions.retryDelay is " + subscribeOptions.retryDelay() + "; "
                    + settlements.provider() + " takes a nack delay of at most " + settlements.maxNackDelay + " (Capabilities.maximumNackDelay)");
        }
        synchronized (this) {
            if (subscription != null) {
                throw new IllegalStateException("this consumer already has a subscription");
            }
            PushSubscription s = new PushSubscription(this, handler, subscribeOptions,
                    settlements.allows(Capability.NACK_REDELIVERY), settlements.provider());
            subscription = s;
            s.start();
            return s;
        }
    }

    @Override
    public int unsettled() {
        return unsettled.get();
    }

    @Override
    public void close() {
        Uninterruptibly.runWithFlagCleared(this::closeOnce);
    }

    /**
     * The first close gives back what the consumer holds and waits (up to {@link #CLOSE_RELEASE_WAIT}) for the
     * settlements on the way, then closes the driver. With the caller's interrupt flag cleared ({@link #close}): a
     * close from a finally block after an {@code InterruptedException} does all of it, and the flag is set again after.
     */
    private void closeOnce() {
        synchronized (this) {
            if (closed) {
                awaitClosed();
                return;
            }
            closed = true;
        }
        try {
            PushSubscription s = subscription;
            if (s != null) {
                s.close();
            }
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            synchronized (room) {
                room.notifyAll();
            }
            pollLock.lock();
            try {
                for (Polled p : outstanding) {
                    for (CoreDelivery d : p.deliveries) {
                        if (!d.expireIfOverdue()) {
                            d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
                        }
                    }
                }
                outstanding.clear();
                outstandingSize = 0;
            } finally {
                pollLock.unlock();
            }
            int unfinished = settlements.awaitSettlements(CLOSE_RELEASE_WAIT);
            if (unfinished > 0) {
                LOG.warn("closing the consumer of group '{}' on '{}' with {} settlements unfinished after {}; the broker redelivers their messages",
                        group(), topic(), unfinished, CLOSE_RELEASE_WAIT);
            }
        } finally {
            try {
                Uninterruptibly.runWithFlagCleared(driver::close);
            } finally {
                onClose.accept(this);
                closeDone.countDown();
            }
        }
    }

    /**
     * A close racing the first one (the client's close while the application closes the consumer)
     * waits for it, so that the connection is not closed under its releases.
     */
    private void awaitClosed() {
        try {
            if (!closeDone.await(CLOSE_RELEASE_WAIT.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("the consumer of group '{}' on '{}' is still closing after {}", group(), topic(), CLOSE_RELEASE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a receive under way return within a slice (a subscription stopping). */
    void wakeup() {
        wakeup = true;
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("the consumer of group '" + group() + "' on topic '" + topic() + "' is closed");
        }
    }

    ConsumerOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "Consumer{provider=" + settlements.provider() + ", topic=" + topic() + ", group=" + group()
                + ", unsettled=" + unsettled.get() + (closed ? ", closed" : "") + "}";
    }

    /** Whether the delivery is one of this consumer's. */
    boolean owns(CoreDelivery d) {
        return d.settledBy(settlements);
    }
}
