package io.anymq.memcached;

/**
 * When an idle member looks at its group next: at once while messages come, then after 1, 2, 4 ...
 * ms up to the poll interval while none do. Low latency under load, a few commands a second when idle.
 * One consumer's poll thread uses it (the core polls from one thread at a time).
 */
final class Backoff {
    static final long FIRST_NANOS = 1_000_000;
    private final long maxNanos;
    private long idleNanos;
    private long nextLook;

    Backoff(long maxNanos) {
        this.maxNanos = maxNanos;
        this.nextLook = System.nanoTime();
    }

    /** How long to wait before the next look (0: look now). */
    long waitNanos(long now) {
        return Math.max(0, nextLook - now);
    }

    void found(long now) {
        idleNanos = 0;
        nextLook = now;
    }

    void foundNothing(long now) {
        idleNanos = idleNanos == 0 ? FIRST_NANOS : Math.min(maxNanos, idleNanos * 2);
        nextLook = now + idleNanos;
    }
}
