package io.anymq.bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Exponential back-off between retries: the initial delay, doubled per attempt, capped. */
record Backoff(Duration initial, Duration max) {

    Duration delay(int attempt) {
        long millis = initial.toMillis();
        for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Sleeps the attempt's delay in short steps; returns false at once when {@code abort} turns true. */
    boolean sleep(int attempt, BooleanSupplier abort) {
        long end = System.nanoTime() + delay(attempt).toNanos();
        while (!abort.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
            } catch (InterruptedException e) {
                // close() interrupts only to abort; the abort flag says so
            }
        }
        return false;
    }
}
