package io.anymq;

import io.anymq.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Push dispatch, the same for every backend: one poller thread fetches within the consumer's
 * in-flight room and hands deliveries to {@code concurrency} workers. With serial-per-key, every
 * delivery of a key goes to the same worker, so a key's deliveries are handled one at a time and in
 * order. With a concurrency of one, the poller handles deliveries itself (no hand-off). The poller holds only as many
 * deliveries waiting for a handler as the handlers start within a small part of the ack timeout ({@link HandOffPace}),
 * and a delivery whose ack timeout ran out while it waited is not handed to the handler (it was given back already).
 */
final class PushSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(PushSubscription.class);
    private static final Duration POLL_SLICE = Duration.ofMillis(200);

    private final CoreConsumer consumer;
    private final DeliveryHandler handler;
    private final SubscribeOptions options;
    private final boolean canNack;
    private final String provider;
    private final Thread poller;
    private final List<Worker> workers = new ArrayList<>();
    private final HandOffPace pace;
    private volatile boolean active = true;
    private int roundRobin;
    /** The poller saw a ConnectionException and has not fetched since (poller thread only). */
    private boolean connectionLost;

    PushSubscription(CoreConsumer consumer, DeliveryHandler handler, SubscribeOptions options, boolean canNack, String provider) {
        this.consumer = consumer;
        this.handler = handler;
        this.options = options;
        this.canNack = canNack;
        this.provider = provider;
        String name = "anymq-" + consumer.topic() + "-" + consumer.group();
        if (options.concurrency() > 1) {
            for (int i = 0; i < options.concurrency(); i++) {
                workers.add(new Worker(name + "-worker-" + i));
            }
        }
        this.pace = new HandOffPace(consumer.options().ackTimeout(), options.concurrency());
        this.poller = new Thread(this::pollLoop, name + "-poller");
        this.poller.setDaemon(true);
    }

    void start() {
        workers.forEach(w -> w.thread.start());
        poller.start();
    }

    private void pollLoop() {
        int batch = Math.max(1, Math.min(consumer.options().maxInFlight(), 64 * options.concurrency()));
        while (active) {
            int room = pace.room(workers.isEmpty() ? 0 : waiting());
            // the driver's read-ahead waits too, for whichever handler its keys choose: one handler's share at most
            consumer.limitReadAhead(pace.perHandler());
            if (room == 0 || aQueueIsFull(pace.perHandler())) {
                LockSupport.parkNanos(pace.pauseNanos());
                continue;
            }
            List<CoreDelivery> got;
            try {
                // a fetch no larger than one handler's share: what waits for a full handler's queue waits in the poller
                got = consumer.fetch(Math.min(batch, workers.isEmpty() ? room : Math.min(room, pace.perHandler())), POLL_SLICE);
            } catch (MessagingInterruptedException e) {
                if (!active) {
                    break;
                }
                Thread.interrupted();
                continue;
            } catch (ConnectionException e) {
                if (!active || consumer.isClosed()) {
                    break;
                }
                if (!connectionLost) {
                    // once per outage: the subscription keeps trying, and says when it is back
                    connectionLost = true;
                    LOG.error("subscription on '{}' (group '{}') cannot fetch, retrying until the connection is back: {}",
                            consumer.topic(), consumer.group(), e.getMessage());
                } else {
                    LOG.debug("subscription on '{}' still cannot fetch: {}", consumer.topic(), e.getMessage());
                }
                sleepQuietly(Duration.ofMillis(500));
                continue;
            } catch (RuntimeException e) {
                if (!active || consumer.isClosed()) {
                    break;
                }
                LOG.warn("fetching for subscription on '{}' failed, retrying: {}", consumer.topic(), e.toString());
                sleepQuietly(Duration.ofMillis(500));
                continue;
            }
            if (connectionLost) {
                connectionLost = false;
                LOG.info("subscription on '{}' (group '{}') fetches again", consumer.topic(), consumer.group());
            }
            int share = pace.perHandler(); // once per fetch, not per delivery
            boolean timed = workers.isEmpty() && !got.isEmpty(); // one handler, on this thread: the batch is timed
            long start = timed ? System.nanoTime() : 0;
            for (CoreDelivery d : got) {
                if (!active) {
                    d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
                } else if (workers.isEmpty()) {
                    handle(d);
                } else {
                    hand(d, workerFor(d), share);
                }
            }
            if (timed) {
                pace.handled(got.size(), System.nanoTime() - start);
            }
        }
    }

    /**
     * Queues a delivery to its worker once that worker's queue holds fewer than {@link HandOffPace#perHandler()}: with
     * handlers serial per key, one key's deliveries all go to one worker, which the total bound alone would let fill up
     * with more than it starts in time. Released if the subscription closes meanwhile.
     */
    private void hand(CoreDelivery d, Worker w, int share) {
        int most = share;
        while (active && w.queue.size() >= most) {
            LockSupport.parkNanos(pace.pauseNanos());
            pace.room(waiting()); // takes in the handler calls that ended meanwhile
            most = pace.perHandler();
        }
        if (active) {
            w.queue.add(d);
        } else {
            d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
        }
    }

    /**
     * Whether a worker's queue holds its share already. A delivery fetched now may be for that worker (its key chooses it)
     * and would wait in the poller on top of the queue: with calls longer than the window, two deliveries waited for a
     * handler that starts one within it.
     */
    private boolean aQueueIsFull(int share) {
        for (Worker w : workers) {
            if (w.queue.size() >= share) {
                return true;
            }
        }
        return false;
    }

    /** Deliveries fetched and not yet taken by a worker. */
    private int waiting() {
        int n = 0;
        for (Worker w : workers) {
            n += w.queue.size();
        }
        return n;
    }

    private Worker workerFor(CoreDelivery d) {
        Object key = d.message().orderingKey();
        if (options.serialPerKey() && key != null) {
            return workers.get(Math.floorMod(key.hashCode(), workers.size()));
        }
        int i = roundRobin++;
        return workers.get(Math.floorMod(i, workers.size()));
    }

    /**
     * Runs the handler: normal return acks (if still unsettled), an exception nacks with the retry delay.
     * An interrupt flag the handler leaves set is the handler's own (a pool clears it between two tasks
     * too): it is cleared before the settlement and the next fetch, which would otherwise trip on it;
     * only while the subscription closes is it the close's, and kept.
     */
    private void handle(CoreDelivery d) {
        if (d.isSettled() || d.expireIfOverdue()) {
            // its ack timeout ran out before a handler was free: given back already, a handler would only find its ack refused
            LOG.debug("message {} from '{}' was given back before a handler took it", d.message().id(), consumer.topic());
            return;
        }
        Throwable failure = null;
        try {
            handler.handle(d);
        } catch (Throwable e) {
            failure = e;
        }
        if (active) {
            Thread.interrupted();
        } else if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (failure == null) {
            try {
                if (!d.isSettled()) {
                    d.ack();
                }
            } catch (SettlementException e) {
                LOG.debug("settlement after handler on '{}': {}", consumer.topic(), e.getMessage());
            }
            return;
        }
        handleFailure(d, failure);
    }

    private void handleFailure(CoreDelivery d, Throwable e) {
        if (e instanceof SettlementException) {
            LOG.debug("settlement after handler on '{}': {}", consumer.topic(), e.getMessage());
            return;
        }
        if (d.isSettled()) {
            LOG.warn("handler failed on message {} from '{}' after settling it: {}", d.message().id(), consumer.topic(), e.toString());
            return;
        }
        try {
            if (canNack) {
                LOG.debug("handler failed on message {} from '{}'; redelivering after {}", d.message().id(), consumer.topic(), options.retryDelay());
                try {
                    d.nack(options.retryDelay());
                } catch (IllegalArgumentException tooLong) {
                    // a bound of this delivery's own ends sooner (a record lock): it comes back then anyway
                    LOG.debug("message {} from '{}' cannot wait {}: {}; redelivering now", d.message().id(), consumer.topic(),
                            options.retryDelay(), tooLong.getMessage());
                    d.nack(java.time.Duration.ZERO);
                }
            } else {
                LOG.warn("handler failed on message {} from '{}'; {} delivers at most once, so the message is dropped: {}",
                        d.message().id(), consumer.topic(), provider, e.toString());
                d.ack();
            }
        } catch (SettlementException se) {
            LOG.debug("settlement after handler failure on '{}': {}", consumer.topic(), se.getMessage());
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
        }
        consumer.wakeup();
        long deadline = Deadlines.fromNow(options.shutdownGrace());
        join(poller, deadline);
        consumer.limitReadAhead(Integer.MAX_VALUE); // the consumer's receive reads ahead as before the subscription
        for (Worker w : workers) {
            // deliveries fetched but not handled go back to the group
            CoreDelivery d;
            while ((d = w.queue.poll()) != null) {
                d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
            }
        }
        for (Worker w : workers) {
            join(w.thread, deadline);
        }
    }

    private static void join(Thread t, long deadlineNanos) {
        if (t == Thread.currentThread()) {
            return;
        }
        // the grace is not cut short by the closing thread's interrupt (a close from a task of a pool shut down): the
        // handlers under way finish and settle as with every close; the flag is set again after
        if (!Uninterruptibly.join(t, deadlineNanos)) {
            LOG.warn("{} did not finish within the shutdown grace; interrupting it", t.getName());
            t.interrupt();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker thread with its own queue; bounded in practice by the consumer's in-flight room. */
    private final class Worker {
        final LinkedBlockingQueue<CoreDelivery> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        /** Handler calls of this worker (its thread only). */
        private int calls;

        Worker(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        private void run() {
            while (true) {
                CoreDelivery d;
                try {
                    d = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    if (!active) {
                        return;
                    }
                    // not the close's: carry on (the flag is cleared by the throw)
                    continue;
                }
                if (d == null) {
                    if (!active && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                if (!active) {
                    d.releaseAs(CoreDelivery.CONSUMER_CLOSED);
                    continue;
                }
                // one call in eight is timed (the first too): enough for the pace, two clock reads less per delivery
                boolean timed = (calls++ & 7) == 0;
                long start = timed ? System.nanoTime() : 0;
                handle(d);
                if (timed) {
                    pace.handled(1, System.nanoTime() - start);
                }
            }
        }
    }
}
