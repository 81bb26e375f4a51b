package io.anymq.spi;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits that an interrupt does not cut short, for a driver whose native call, once under way, has an effect
 * on the broker whether or not its caller stays for the answer (a message taken, a lease set, a request
 * answered). A driver's {@link ConsumerDriver#poll} must not lose what it took to an interrupt (the taken
 * message would be answered to nobody and wait for its ack timeout, or for ever); one way is to let the
 * call run on a thread of the driver's own and wait for it here. The caller's interrupt flag is set again
 * when the wait ends, for its next wait to see: the core checks it between two polls.
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
}
