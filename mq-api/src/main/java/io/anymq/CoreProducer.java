package io.anymq;

import io.anymq.spi.ProducerDriver;
import io.anymq.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The portable producer: checks and stamps each message, bounds the sends in flight with a
 * window, and drains on close. The driver only sends.
 */
final class CoreProducer implements Producer {
    private static final Logger LOG = LoggerFactory.getLogger(CoreProducer.class);
    private final CoreClient client;
    private final ProducerOptions options;
    private final ProducerDriver driver;
    private final Semaphore window;
    /** Sends whose caller's future is not complete yet (it completes just after the window's room is given back). */
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    private final int windowSize;
    private final SendChecks checks;
    private final boolean idsByPosition;
    private final boolean timesByPosition;
    /** Gathers single sends into batches, for a driver that asks for it; else null. */
    private final io.anymq.spi.Coalescer<Message, Receipt> coalescer;
    /** The client's interceptors; null when none is installed (then sends pay one null check). */
    private final Interceptors interceptors;
    private final Object drained = new Object();
    private volatile int drainWaiters;
    private volatile boolean closed;
    /** Counted down when the first close has finished (drained or timed out, driver closed). */
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);
    /** Whether the first close drained every send in time. */
    private volatile boolean closeDrained = true;
    /** The close timed out and is closing the driver with sends still in flight: those are in doubt. */
    private volatile boolean closingInDoubt;

    CoreProducer(CoreClient client, ProducerOptions options, ProducerDriver driver) {
        this.client = client;
        this.options = options;
        this.driver = driver;
        this.windowSize = options.maxInFlight();
        this.window = new Semaphore(windowSize);
        this.checks = client.sendChecks();
        this.idsByPosition = driver.namesMessagesByPosition();
        this.timesByPosition = driver.timesMessagesByPosition();
        int coalesced = driver.coalescedSends();
        this.coalescer = coalesced > 0 ? new io.anymq.spi.Coalescer<>(driver::sendBatch, coalesced) : null;
        this.interceptors = client.interceptors();
    }

    @Override
    public String topic() {
        return options.topic();
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        Message m = check(message, true);
        if (interceptors != null) {
            return sendIntercepted(m);
        }
        int places = options.windowPlaces(m.payloadSize());
        acquire(places, 1);
        return dispatch(m, null, places);
    }

    private CompletableFuture<Receipt> sendIntercepted(Message checked) {
        Interceptors.Send s = interceptors.beforeSend(topic(), checked);
        int places = options.windowPlaces(s.message().payloadSize());
        long start = System.nanoTime();
        try {
            if (!acquire(places, 1)) {
                s.windowWaitNanos = Math.max(1, System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            s.windowWaitNanos = Math.max(1, System.nanoTime() - start);
            interceptors.afterSend(s, null, e);
            throw e;
        }
        return dispatch(s.message(), s, places);
    }

    /** A send of the core's own (dead-lettering): reserved headers are allowed; interceptors do not see it. */
    CompletableFuture<Receipt> sendInternal(Message message) {
        Message m = check(message, false);
        int places = options.windowPlaces(m.payloadSize());
        acquire(places, 1);
        return dispatch(m, null, places);
    }

    /**
     * Hands one message to the driver; {@code s} is the interceptors' context, or null; {@code places} what it
     * took of the window.
     */
    private CompletableFuture<Receipt> dispatch(Message m, Interceptors.Send s, int places) {
        CompletableFuture<Receipt> f;
        try {
            f = coalescer != null ? coalescer.submit(m) : driver.send(m);
        } catch (RuntimeException e) {
            released(places);
            if (s != null) {
                interceptors.afterSend(s, null, e);
            }
            answered(1);
            throw e;
        }
        if (f.isDone() && !f.isCompletedExceptionally()) {
            released(places); // the common case of a driver that confirms at once: no dependent future
            if (s != null) {
                interceptors.afterSend(s, f.join(), null);
            }
            answered(1);
            return f;
        }
        return answeredWhenDone(f.handle((receipt, error) -> {
            released(places);
            if (error != null) {
                MessagingException failure = failure(error, 1);
                if (s != null) {
                    interceptors.afterSend(s, null, failure);
                }
                throw failure;
            }
            if (s != null) {
                interceptors.afterSend(s, receipt, null);
            }
            return receipt;
        }), 1);
    }

    /**
     * Counts the caller's future as answered once it is complete. The window's room is given back
     * before (so that a callback that sends again finds room), this count after: close and flush wait
     * for it, so that no future they waited for is still pending when they return.
     */
    private <T> CompletableFuture<T> answeredWhenDone(CompletableFuture<T> f, int sends) {
        f.whenComplete((v, e) -> answered(sends));
        return f;
    }

    private void answered(int sends) {
        if (unanswered.addAndGet(-sends) == 0 && drainWaiters > 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    @Override
    public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        client.require(Capability.BATCH_SEND, "Producer.sendBatch");
        if (messages.isEmpty()) {
            ensureOpen();
            return CompletableFuture.completedFuture(List.of());
        }
        if (messages.size() > windowSize) {
            throw new BackpressureException("a batch of " + messages.size() + " messages is larger than the in-flight window of "
                    + windowSize + " (ProducerOptions.maxInFlight)");
        }
        List<Message> checked = new ArrayList<>(messages.size());
        for (Message m : messages) {
            checked.add(check(m, true));
        }
        int n = checked.size();
        Interceptors.Send[] sends = null;
        if (interceptors != null) {
            sends = new Interceptors.Send[n];
            for (int i = 0; i < n; i++) {
                sends[i] = interceptors.beforeSend(topic(), checked.get(i));
                checked.set(i, sends[i].message());
            }
        }
        Interceptors.Send[] observed = sends;
        long placesNeeded = 0;
        for (Message m : checked) {
            placesNeeded += options.windowPlaces(m.payloadSize());
        }
        int places = (int) Math.min(windowSize, placesNeeded); // a batch of any size can still go alone
        long start = System.nanoTime();
        try {
            if (!acquire(places, n)) {
                windowWaited(observed, start);
            }
        } catch (RuntimeException e) {
            windowWaited(observed, start);
            afterBatch(observed, null, e);
            throw e;
        }
        CompletableFuture<List<Receipt>> f;
        try {
            // through the coalescer when there is one, so that a batch keeps its place after the single sends before it
            f = coalescer != null ? coalescer.submitAll(checked) : driver.sendBatch(checked);
        } catch (RuntimeException e) {
            released(places);
            afterBatch(observed, null, e);
            answered(n);
            throw e;
        }
        return answeredWhenDone(f.handle((receipts, error) -> {
            released(places);
            if (error != null) {
                MessagingException failure = failure(error, n);
                afterBatch(observed, null, failure);
                throw failure;
            }
            afterBatch(observed, receipts, null);
            return receipts;
        }), n);
    }

    /** Each send of a batch waited for the window as long as the batch did. */
    private static void windowWaited(Interceptors.Send[] sends, long start) {
        if (sends != null) {
            long waited = Math.max(1, System.nanoTime() - start);
            for (Interceptors.Send s : sends) {
                s.windowWaitNanos = waited;
            }
        }
    }

    private void afterBatch(Interceptors.Send[] sends, List<Receipt> receipts, Throwable failure) {
        if (sends == null) {
            return;
        }
        for (int i = 0; i < sends.length; i++) {
            interceptors.afterSend(sends[i], receipts == null || i >= receipts.size() ? null : receipts.get(i), failure);
        }
    }

    private Message check(Message message, boolean userMessage) {
        ensureOpen();
        return checks.check(message, userMessage).stampedFor(System.currentTimeMillis(), !idsByPosition, !timesByPosition);
    }

    /**
     * Takes room in the in-flight window, blocking up to the block timeout when it is full.
     *
     * @param permits the places the sends take (see {@link ProducerOptions#windowPlaces})
     * @param sends   how many sends they are
     * @return true when there was room at once, false when the send waited for it
     */
    private boolean acquire(int permits, int sends) {
        if (window.tryAcquire(permits)) {
            if (closed) {
                released(permits);
                throw closedError();
            }
            unanswered.addAndGet(sends);
            return true;
        }
        if (options.whenFull() == ProducerOptions.WhenFull.FAIL) {
            throw new BackpressureException("the in-flight window of " + windowDescription() + " to '" + topic() + "' is full");
        }
        try {
            if (!window.tryAcquire(permits, Deadlines.nanos(options.blockTimeout()), TimeUnit.NANOSECONDS)) {
                throw new BackpressureException("the in-flight window of " + windowDescription() + " to '" + topic()
                        + "' stayed full for " + options.blockTimeout());
            }
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while waiting for room in the in-flight window", e);
        }
        if (closed) {
            released(permits);
            throw closedError();
        }
        unanswered.addAndGet(sends);
        return false;
    }

    /** The window's two bounds, as errors name them. */
    private String windowDescription() {
        return windowSize + " sends or " + options.maxInFlightBytes() + " payload bytes (ProducerOptions.maxInFlight, maxInFlightBytes)";
    }

    private void released(int permits) {
        window.release(permits);
    }

    /**
     * The caller's error for a failed send. A send that was still in flight when the close timed out
     * and closed the driver is in doubt: the broker may have stored it before the connection went.
     */
    private MessagingException failure(Throwable error, int sends) {
        MessagingException e = asMessagingFailure(error);
        // a refusal (not retryable: too large, not allowed) says the broker did not take it; a lost or closed connection does not
        if (closingInDoubt && (e.isRetryable() || e instanceof ClosedException) && !String.valueOf(e.getMessage()).contains("may or may not")) {
            return new ConnectionException((sends == 1 ? "a send" : "a batch of " + sends + " sends") + " to '" + topic()
                    + "' was still unconfirmed when the producer's close stopped waiting (ProducerOptions.closeTimeout "
                    + options.closeTimeout() + "): it may or may not have been stored: " + e.getMessage(), e);
        }
        return e;
    }

    static MessagingException asMessagingFailure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof MessagingException me) {
            return me;
        }
        return new MessagingException("send failed: " + e, e, true);
    }

    @Override
    public void flush() {
        ensureOpen();
        driver.flush();
        if (!awaitDrained(options.closeTimeout())) {
            throw new MessagingTimeoutException("flush: " + inFlight() + " sends to '" + topic() + "' still unconfirmed after "
                    + options.closeTimeout());
        }
    }

    /** Waits until no send is in flight. Sends made meanwhile by other threads are waited for too. */
    private boolean awaitDrained(Duration timeout) {
        long deadline = Deadlines.fromNow(timeout);
        synchronized (drained) {
            drainWaiters++;
            try {
                while (unanswered.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                return true;
            } catch (InterruptedException e) {
                throw new MessagingInterruptedException("interrupted while waiting for sends to complete", e);
            } finally {
                drainWaiters--;
            }
        }
    }

    @Override
    public int inFlight() {
        // sends, not the window's places (a large payload takes several: ProducerOptions.maxInFlightBytes); a send's room is
        // given back just before its caller's future completes, so the count may pass the window for that instant
        return Math.min(windowSize, unanswered.get());
    }

    @Override
    public void close() {
        close(options.closeTimeout());
    }

    /**
     * The first close flushes, waits for the sends in flight (up to the timeout), then closes the
     * driver. A close racing it (the client's close while the application closes the producer) waits
     * for it up to its own timeout, so that nobody closes the connection under sends in flight.
     * A close from a thread whose interrupt flag is already set (a finally block after an
     * {@code InterruptedException}) does all of it with the flag cleared and sets it again after; an
     * interrupt that comes while it waits for the sends ends the wait ({@link MessagingInterruptedException}
     * once the producer is closed: what is unconfirmed is in doubt, as at the timeout).
     */
    @Override
    public boolean close(Duration timeout) {
        if (timeout == null) {
            throw new IllegalArgumentException("the close timeout is null");
        }
        return Uninterruptibly.withFlagCleared(() -> closeOnce(timeout));
    }

    private boolean closeOnce(Duration timeout) {
        synchronized (this) {
            if (closed) {
                return awaitClosed(timeout);
            }
            closed = true;
        }
        boolean drainedInTime = false;
        try {
            drainedInTime = flushForClose() & awaitDrained(timeout);
        } finally {
            closeDrained = drainedInTime;
            closingInDoubt = !drainedInTime;
            try {
                Uninterruptibly.runWithFlagCleared(driver::close);
            } finally {
                client.forget(this);
                closeDone.countDown();
            }
        }
        return drainedInTime;
    }

    /**
     * The driver's flush at close: one that fails (core NATS while the connection is lost: what its buffer
     * holds may never reach the server) makes the close report that not everything went out, instead of
     * throwing out of {@code close}; the producer is closed all the same.
     */
    private boolean flushForClose() {
        try {
            driver.flush();
            return true;
        } catch (MessagingInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("closing the producer of '{}': the flush failed, so not every send is known to have reached {}: {}", topic(),
                    client.providerName(), e.toString());
            return false;
        }
    }

    private boolean awaitClosed(Duration timeout) {
        try {
            return closeDone.await(Deadlines.nanos(timeout), TimeUnit.NANOSECONDS) && closeDrained;
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while waiting for the producer of '" + topic() + "' to close", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private ClosedException closedError() {
        return new ClosedException("the producer for topic '" + topic() + "' is closed");
    }

    @Override
    public String toString() {
        return "Producer{provider=" + client.providerName() + ", topic=" + topic() + ", inFlight=" + inFlight()
                + (closed ? ", closed" : "") + "}";
    }
}
