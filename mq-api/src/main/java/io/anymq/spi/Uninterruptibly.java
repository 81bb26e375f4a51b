package io.anymq.spi;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Interrupts and native calls. {@link #get} waits for a call that, once under way, has an effect on the broker
 * whether or not its caller stays for the answer (a message taken, a lease set, a request answered): a driver's
 * {@link ConsumerDriver#poll} must not lose what it took to an interrupt (the taken message would be answered to
 * nobody and wait for its ack timeout, or for ever); one way is to let the call run on a thread of the driver's
 * own and wait for it here. The caller's interrupt flag is set again when the wait ends, for its next wait to
 * see: the core checks it between two polls. {@link #withFlagCleared} runs a call that must not see a flag set
 * before it (clients that fail or drop a call made on an interrupted thread).
 */
public final class Uninterruptibly {
    private Uninterruptibly() {
    }

    /**
     * The future's result, waiting for it however often the thread is interrupted meanwhile.
     *
     * @throws ExecutionException the work failed (its cause)
     */
    public static <T> T get(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The result of work a thread of the driver's own carried out, waiting for it however often the caller is
     * interrupted meanwhile (its flag is set again after); the work's failure as it was thrown: of the given checked
     * type, or unchecked (any other checked failure wrapped in an {@link IllegalStateException}).
     */
    public static <T, E extends Exception> T get(Future<T> future, Class<E> failureType) throws E {
        try {
            return get(future);
        } catch (ExecutionException e) {
            throw failure(e, failureType);
        }
    }

    /** The cause of the work's failure, to throw: of the given checked type, unchecked, or else wrapped. */
    public static <E extends Exception> RuntimeException failure(ExecutionException e, Class<E> failureType) throws E {
        Throwable cause = e.getCause();
        if (failureType.isInstance(cause)) {
            throw failureType.cast(cause);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(String.valueOf(cause), cause);
    }

    /**
     * The future's result, waiting for it up to the timeout however often the thread is interrupted meanwhile.
     *
     * @throws ExecutionException the work failed (its cause)
     * @throws TimeoutException   no result within the timeout
     */
    public static <T> T get(Future<T> future, long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A native call, which may throw the client's checked exception. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        /** Makes the call; its result, or the client's exception. */
        T call() throws E;
    }

    /**
     * Runs a step of a close with the thread's interrupt flag cleared, and sets it again after when it was set before:
     * a close does all it does whatever the flag says (a native client that sees the flag skips part of its close: it
     * leaves threads running, drops acks it had not sent yet, or throws its own exception type).
     */
    public static void runWithFlagCleared(Runnable step) {
        boolean wasInterrupted = Thread.interrupted();
        try {
            step.run();
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for the thread to end, up to the deadline ({@link System#nanoTime()}), however often the caller is
     * interrupted meanwhile; its flag is set again after. Whether the thread ended.
     */
    public static boolean join(Thread thread, long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadlineNanos - System.nanoTime();
                if (!thread.isAlive() || left <= 0) {
                    return !thread.isAlive();
                }
                try {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a native call with the thread's interrupt flag cleared, and sets it again after when it was set before:
     * for a client that fails a call made on an interrupted thread (or drops it) although the call would wait for
     * nothing an interrupt should stop (a send while there is room). An interrupt that comes during the call still
     * reaches it.
     */
    public static <T, E extends Exception> T withFlagCleared(Call<T, E> call) throws E {
        boolean wasInterrupted = Thread.interrupted();
        try {
            return call.call();
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
