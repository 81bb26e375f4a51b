package io.anymq.memcached;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The numbers one producer was handed by its topic's tail counter ({@code incr}), to tell a counter
 * that started again (memcached restarted, or evicted the tail) from sends of several threads whose
 * answers come back out of order. A number recorded before a thread asks was handed out before that
 * ask reached memcached, so the thread's number is higher unless the counter started again; a number
 * only lower than what other threads recorded meanwhile is theirs overtaking it.
 */
final class TailNumbers {
    private final AtomicLong highest = new AtomicLong();

    /** Taken before asking the counter: the highest number recorded so far. */
    long floor() {
        return highest.get();
    }

    /**
     * Records {@code n}, the counter's answer to an ask made after {@link #floor()} returned {@code floor}.
     *
     * @return true when the counter started again ({@code n} is not above {@code floor}); the numbers
     *         recorded from then on are compared with the new count
     */
    boolean startedAgain(long floor, long n) {
        if (n <= floor) {
            highest.set(n);
            return true;
        }
        highest.accumulateAndGet(n, Math::max);
        return false;
    }
}
