package io.anymq.bridge;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** The bridge's counters, written by its threads, read as one {@link BridgeProgress}. */
final class Counters {
    final LongAdder received = new LongAdder();
    final LongAdder copied = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder sendRetries = new LongAdder();
    final LongAdder receiveErrors = new LongAdder();
    final LongAdder ackFailures = new LongAdder();
    private final long startNanos = System.nanoTime();

    BridgeProgress snapshot() {
        return new BridgeProgress(received.sum(), copied.sum(), deadLettered.sum(), sendRetries.sum(),
                receiveErrors.sum(), ackFailures.sum(), Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
