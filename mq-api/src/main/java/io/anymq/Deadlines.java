package io.anymq;

import java.time.Duration;

/**
 * Waits the core measures in {@link System#nanoTime()}: a duration too long to count in nanoseconds
 * (more than about 73 years, such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits "for ever",
 * i.e. {@link #FOREVER_NANOS}, instead of overflowing.
 */
final class Deadlines {
    /** About 73 years: long enough to be for ever, short enough that {@code nanoTime() + it} cannot overflow. */
    static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private Deadlines() {
    }

    /** The duration in nanoseconds, at most {@link #FOREVER_NANOS}; negative durations count as zero. */
    static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofNanos(FOREVER_NANOS)) >= 0 ? FOREVER_NANOS : d.toNanos();
    }

    /** The {@code nanoTime()} at which a wait of this duration, starting now, ends. */
    static long fromNow(Duration d) {
        return System.nanoTime() + nanos(d);
    }
}
