package io.anymq.jms;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a state the JMS clients report without a signal (a connection back), by looking every 20 ms. */
final class Polling {
    private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Polling() {
    }

    /**
     * Whether the condition held within the timeout. An interrupt does not end the wait (callers are bounded by
     * the timeout): the flag is set again after it.
     */
    static boolean until(BooleanSupplier condition, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        try {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                LockSupport.parkNanos(LOOK_EVERY_NANOS);
                interrupted |= Thread.interrupted();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
