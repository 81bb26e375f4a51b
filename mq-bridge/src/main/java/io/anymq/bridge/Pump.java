package io.anymq.bridge;

import io.anymq.Capability;
import io.anymq.ClosedException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import io.anymq.Producer;
import io.anymq.ProducerOptions;
import io.anymq.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running bridge: one receiving thread that hands deliveries to lanes by key, the lanes that
 * send and then ack, and the orderly finish (lanes drained, acks settled, everything closed).
 */
final class Pump {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** One wait on the source; also how quickly a stop is noticed. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a lane waits on a send before it looks at the abort flag again. */
    private static final long WAIT_STEP_MILLIS = 200;
    /** The error the bridge writes into a dead-lettered message's header is cut to this length. */
    private static final int MAX_REASON = 500;

    static final String ERROR_HEADER = "mq-bridge-error";
    static final String SOURCE_HEADER = "mq-bridge-source";

    private final Settings s;
    private final List<MessagingClient> owned;
    private final Consumer consumer;
    private final Producer producer;
    private final Producer deadLetterProducer;
    private final Lane[] lanes;
    private final List<String> notes;
    private final Counters counters = new Counters();
    private final AtomicReference<MessagingException> failure = new AtomicReference<>();
    private final AtomicInteger pendingAcks = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopReceiving;
    private volatile boolean abort;
    private long roundRobin;
    private Thread receiver;
    private Thread ticker;

    private Pump(Settings s, List<MessagingClient> owned, Consumer consumer, Producer producer, Producer deadLetterProducer,
                 boolean keyOrdered, List<String> notes) {
        this.s = s;
        this.owned = owned;
        this.consumer = consumer;
        this.producer = producer;
        this.deadLetterProducer = deadLetterProducer;
        this.notes = notes;
        int window = keyOrdered ? 1 : Math.max(1, s.maxInFlight() / s.concurrency());
        this.lanes = new Lane[s.concurrency()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(this, i, window);
        }
    }

    /** Connects and opens everything; on a failure closes what it opened and throws. */
    static Pump open(Settings s) {
        List<MessagingClient> owned = new ArrayList<>();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            MessagingClient src = connect(s.source(), owned);
            MessagingClient dst = connect(s.destination(), owned);
            boolean keyOrdered = src.capabilities().has(Capability.KEY_ORDERING) && dst.capabilities().has(Capability.KEY_ORDERING);
            Producer producer = dst.producer(ProducerOptions.builder(s.destinationTopic()).maxInFlight(s.maxInFlight())
                    .closeTimeout(s.closeTimeout()).build());
            opened.add(producer);
            Producer dlq = null;
            if (s.deadLetterTopic() != null) {
                MessagingClient dl = s.deadLetter() == null ? dst : connect(s.deadLetter(), owned);
                dlq = dl.producer(ProducerOptions.builder(s.deadLetterTopic()).closeTimeout(s.closeTimeout()).build());
                opened.add(dlq);
            }
            Consumer consumer = src.consumer(ConsumerOptions.builder(s.sourceTopic(), s.group())
                    .startPosition(s.startPosition()).maxInFlight(s.maxInFlight()).keyOrdered(keyOrdered).build());
            List<String> notes = Notes.of(src, dst, keyOrdered, s.concurrency());
            return new Pump(s, owned, consumer, producer, dlq, keyOrdered, notes);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c);
            }
            for (MessagingClient c : owned) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    private static MessagingClient connect(Endpoint endpoint, List<MessagingClient> owned) {
        MessagingClient c = endpoint.connect();
        if (endpoint.owned()) {
            owned.add(c);
        }
        return c;
    }

    void begin() {
        for (String note : notes) {
            LOG.info("bridge {} -> {}: {}", s.sourceTopic(), s.destinationTopic(), note);
        }
        s.listener().onStart(notes);
        for (Lane lane : lanes) {
            lane.start();
        }
        receiver = new Thread(this::receiveLoop, "bridge-receive");
        receiver.start();
        ticker = new Thread(this::tick, "bridge-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    List<String> notes() {
        return notes;
    }

    Counters counters() {
        return counters;
    }

    MessagingException failure() {
        return failure.get();
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    void awaitDone() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Graceful stop; after the timeout, gives up on retries (those messages stay unacked at the source). */
    void stop(Duration timeout) {
        stopReceiving = true;
        try {
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("bridge: sends still under way after {}; giving up on them (they stay unacked at the source)", timeout);
                abort = true;
                for (Lane lane : lanes) {
                    lane.interrupt();
                }
                done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            abort = true;
            Thread.currentThread().interrupt();
        }
    }

    boolean aborted() {
        return abort || failure.get() != null;
    }

    /** Records the first failure and stops receiving; lanes stop at their next message. */
    void fail(MessagingException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("bridge stopped: {}", e.getMessage());
        }
        stopReceiving = true;
    }

    private void receiveLoop() {
        long idleSince = System.nanoTime();
        int errors = 0;
        try {
            while (!stopReceiving) {
                List<Delivery> batch;
                try {
                    batch = consumer.receive(s.maxInFlight(), POLL);
                    errors = 0;
                } catch (ClosedException e) {
                    if (!stopReceiving) {
                        fail(new MessagingException("the source consumer closed under the bridge: " + e.getMessage(), e, false));
                    }
                    break;
                } catch (MessagingException e) {
                    if (!e.isRetryable()) {
                        fail(new MessagingException("receiving from the source failed: " + e.getMessage(), e, false));
                        break;
                    }
                    counters.receiveErrors.increment();
                    s.listener().onRetry(null, e, ++errors);
                    LOG.debug("bridge: receive failed, retrying: {}", e.getMessage());
                    s.backoff().sleep(errors, () -> stopReceiving);
                    continue;
                }
                if (batch.isEmpty()) {
                    if (!lanesIdle()) {
                        idleSince = System.nanoTime();
                    } else if (s.untilEmpty() && System.nanoTime() - idleSince >= s.idleTimeout().toNanos()) {
                        LOG.info("bridge: nothing came for {}; the source is drained", s.idleTimeout());
                        break;
                    }
                    continue;
                }
                counters.received.add(batch.size());
                for (Delivery d : batch) {
                    laneFor(d.message()).offer(d);
                }
                idleSince = System.nanoTime();
            }
        } catch (RuntimeException e) {
            fail(new MessagingException("the bridge's receiver failed: " + e, e, false));
        } finally {
            finish();
        }
    }

    private Lane laneFor(Message m) {
        if (lanes.length == 1) {
            return lanes[0];
        }
        Object key = m.hasBinaryKey() ? java.nio.ByteBuffer.wrap(m.keyBytes()) : m.key();
        int i = key != null ? Math.floorMod(key.hashCode(), lanes.length) : (int) Math.floorMod(roundRobin++, (long) lanes.length);
        return lanes[i];
    }

    private boolean lanesIdle() {
        for (Lane lane : lanes) {
            if (!lane.idle()) {
                return false;
            }
        }
        return true;
    }

    /** Drains the lanes, waits for the acks, closes everything, and reports the end. */
    private void finish() {
        for (Lane lane : lanes) {
            lane.finish();
        }
        for (Lane lane : lanes) {
            lane.join();
        }
        long end = System.nanoTime() + s.closeTimeout().toNanos();
        while (pendingAcks.get() > 0 && System.nanoTime() < end && !abort) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(consumer);
        closeQuietly(producer);
        if (deadLetterProducer != null) {
            closeQuietly(deadLetterProducer);
        }
        for (MessagingClient c : owned) {
            closeQuietly(c);
        }
        done.countDown();
        if (ticker != null) {
            ticker.interrupt();
        }
        s.listener().onProgress(counters.snapshot());
    }

    private void tick() {
        long step = s.progressInterval().toMillis();
        while (!isDone()) {
            try {
                if (done.await(step, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            s.listener().onProgress(counters.snapshot());
        }
    }

    // ---- what a lane does per message ----

    /** The copy that goes to the destination: everything but the delivery time (the message was already due). */
    static Message copyOf(Message m) {
        return m.deliverAt() == null ? m : m.toBuilder().deliverAt(null).build();
    }

    CompletableFuture<Receipt> send(Message m) {
        return send(producer, m);
    }

    private static CompletableFuture<Receipt> send(Producer p, Message m) {
        try {
            return p.send(m);
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits for the send to the destination, retries it while it fails in a way that may clear up,
     * dead-letters it when the destination refuses it for good, and acks at the source only after a
     * confirmation. With {@code resendAtOnce} (the destination just accepted a retried send of this
     * lane) a send that failed earlier is sent again without waiting first.
     *
     * @return how many retries it took, or -1 when the lane must stop (a failure, or an abort)
     */
    int settle(Delivery d, Message copy, CompletableFuture<Receipt> sent, boolean resendAtOnce) {
        CompletableFuture<Receipt> f = sent;
        int attempt = 0;
        while (true) {
            Outcome o = await(f);
            if (o == Outcome.ABORTED) {
                return -1;
            }
            if (o.error == null) {
                counters.copied.increment();
                ack(d);
                return attempt;
            }
            MessagingException e = o.error;
            if (refusedForGood(e)) {
                return deadLetter(d, copy, e) ? attempt : -1;
            }
            if (!e.isRetryable()) {
                fail(new MessagingException("sending message " + copy.id() + " to the destination failed: " + e.getMessage(), e, false));
                return -1;
            }
            attempt++;
            counters.sendRetries.increment();
            s.listener().onRetry(copy, e, attempt);
            LOG.debug("bridge: send of {} failed (attempt {}), retrying: {}", copy.id(), attempt, e.getMessage());
            if (!(attempt == 1 && resendAtOnce) && !s.backoff().sleep(attempt, this::aborted)) {
                return -1;
            }
            f = send(copy);
        }
    }

    /**
     * A refusal of this one message that no retry can change: it goes to the dead-letter destination.
     * That includes a key or header value of bytes (or a header without a value, or a header name that
     * repeats) that the destination cannot hold.
     */
    static boolean refusedForGood(MessagingException e) {
        return e instanceof MessageTooLargeException || e instanceof InvalidMessageException
                || e instanceof io.anymq.UnsupportedCapabilityException u
                && (u.capability() == io.anymq.Capability.BINARY_DATA || u.capability() == io.anymq.Capability.NULL_HEADER_VALUES
                || u.capability() == io.anymq.Capability.REPEATED_HEADERS);
    }

    private boolean deadLetter(Delivery d, Message copy, MessagingException refusal) {
        if (deadLetterProducer == null) {
            fail(new MessagingException("the destination refused message " + copy.id() + " for good and no dead-letter "
                    + "destination is set (the message stays at the source): " + refusal.getMessage(), refusal, false));
            return false;
        }
        s.listener().onDeadLetter(copy, refusal);
        String reason = refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        Message dead = copy.toBuilder()
                .header(ERROR_HEADER, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason)
                .header(SOURCE_HEADER, s.sourceTopic())
                .build();
        int attempt = 0;
        while (true) {
            Outcome o = await(send(deadLetterProducer, dead));
            if (o == Outcome.ABORTED) {
                return false;
            }
            if (o.error == null) {
                counters.deadLettered.increment();
                ack(d);
                return true;
            }
            if (!o.error.isRetryable()) {
                fail(new MessagingException("message " + copy.id() + " was refused by the destination (" + refusal.getMessage()
                        + ") and by the dead-letter destination (" + o.error.getMessage() + "); it stays at the source",
                        o.error, false));
                return false;
            }
            attempt++;
            counters.sendRetries.increment();
            s.listener().onRetry(dead, o.error, attempt);
            if (!s.backoff().sleep(attempt, this::aborted)) {
                return false;
            }
        }
    }

    private void ack(Delivery d) {
        pendingAcks.incrementAndGet();
        try {
            d.ack().whenComplete((v, e) -> {
                if (e != null) {
                    counters.ackFailures.increment();
                    LOG.debug("bridge: the source refused an ack (the message comes again): {}", e.getMessage());
                }
                pendingAcks.decrementAndGet();
            });
        } catch (MessagingException e) {
            counters.ackFailures.increment();
            pendingAcks.decrementAndGet();
            LOG.debug("bridge: the source refused an ack (the message comes again): {}", e.getMessage());
        }
    }

    private Outcome await(CompletableFuture<Receipt> f) {
        long deadline = System.nanoTime() + s.sendTimeout().toNanos();
        while (true) {
            try {
                f.get(WAIT_STEP_MILLIS, TimeUnit.MILLISECONDS);
                return Outcome.OK;
            } catch (TimeoutException e) {
                if (abort) {
                    return Outcome.ABORTED;
                }
                if (System.nanoTime() - deadline > 0) {
                    return new Outcome(new MessagingTimeoutException("the destination did not confirm the send within "
                            + s.sendTimeout() + "; sending it again"));
                }
            } catch (InterruptedException e) {
                if (abort) {
                    return Outcome.ABORTED;
                }
            } catch (ExecutionException | CompletionException | java.util.concurrent.CancellationException e) {
                return new Outcome(asMessaging(e));
            }
        }
    }

    /** A driver's failure as a {@link MessagingException}; anything else counts as retryable (never acked, never dropped). */
    private static MessagingException asMessaging(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof MessagingException m ? m : new MessagingException("send failed: " + c, c, true);
    }

    private record Outcome(MessagingException error) {
        static final Outcome OK = new Outcome(null);
        static final Outcome ABORTED = new Outcome(new MessagingException("aborted", false));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("bridge: closing {} failed: {}", c, e.toString());
        }
    }
}
