package io.anymq.spi;

import io.anymq.ClosedException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One daemon thread of a driver's own, for native calls that an interrupt of the application's thread must not reach
 * (a client that drops or half-does a call made on an interrupted thread): Kafka's polls, which carry out assignments;
 * NATS' flushes, subscriptions and JetStream requests. Nothing interrupts it; {@link #call} waits for the work however
 * often the caller is interrupted, and the caller's flag is set again after.
 */
public final class OwnThread implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    /** A thread named {@code name}, started with the first work. */
    public OwnThread(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands the work to the thread.
     *
     * @throws ClosedException the thread was closed
     */
    public <T> Future<T> submit(Callable<T> work) {
        try {
            return thread.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ClosedException(name + " is closed");
        }
    }

    /**
     * Runs the work on the thread and waits for it, however often the caller is interrupted meanwhile
     * ({@link Uninterruptibly#get(Future, Class)}): its failure as it was thrown.
     *
     * @throws ClosedException the thread was closed
     */
    public <T, E extends Exception> T call(Callable<T> work, Class<E> failureType) throws E {
        return Uninterruptibly.get(submit(work), failureType);
    }

    /** Lets work handed over already finish; takes no more. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
