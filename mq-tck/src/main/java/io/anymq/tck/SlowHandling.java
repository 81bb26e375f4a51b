package io.anymq.tck;

import io.anymq.Delivery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application that spends a fixed time on each delivery and then waits for its ack, with the tally the backlog
 * scenarios assert on: calls, messages acked, acks refused, and calls whose delivery count was above the calls the
 * message had had (the backend gave it back unseen and counted it). Thread-safe: handlers or member loops share one.
 */
final class SlowHandling {
    private final long millis;
    private final boolean counts;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger countedUnseen = new AtomicInteger();

    /**
     * @param millis what each delivery takes
     * @param counts whether the backend declares DELIVERY_COUNT (only then are counts compared)
     */
    SlowHandling(long millis, boolean counts) {
        this.millis = millis;
        this.counts = counts;
    }

    /** Handles one delivery: counts it, takes the time, acks it and waits for the ack; a refused ack is counted. */
    void handle(Delivery d) throws InterruptedException {
        String text = TckContext.text(d);
        total.incrementAndGet();
        int seen = calls.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
        if (counts && d.deliveryCount() > seen) {
            countedUnseen.incrementAndGet();
        }
        Thread.sleep(millis);
        try {
            d.ack().join();
            acked.add(text);
        } catch (io.anymq.SettlementException | CompletionException e) {
            refused.incrementAndGet();
        }
    }

    long millis() {
        return millis;
    }

    boolean counts() {
        return counts;
    }

    Set<String> acked() {
        return acked;
    }

    int calls() {
        return total.get();
    }

    int refused() {
        return refused.get();
    }

    int countedUnseen() {
        return countedUnseen.get();
    }
}
