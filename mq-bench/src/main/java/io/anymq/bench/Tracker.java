package io.anymq.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which numbered messages were confirmed and which arrived, without locks: two growing bitsets.
 * Lost = confirmed but never received; duplicate = received again.
 */
final class Tracker {
    private static final int SEGMENT_BITS = 1 << 20;
    private static final int SEGMENTS = 1 << 14; // 16 Gi sequence numbers
    private final Bits confirmed = new Bits();
    private final Bits received = new Bits();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder uniqueReceived = new LongAdder();
    private final LongAdder confirmedCount = new LongAdder();

    void confirmed(long seq) {
        if (confirmed.set(seq)) {
            confirmedCount.increment();
        }
    }

    /** Returns whether this is the first arrival. */
    boolean received(long seq) {
        if (received.set(seq)) {
            uniqueReceived.increment();
            return true;
        }
        duplicates.increment();
        return false;
    }

    long duplicates() {
        return duplicates.sum();
    }

    long uniqueReceived() {
        return uniqueReceived.sum();
    }

    long confirmedCount() {
        return confirmedCount.sum();
    }

    /** Confirmed but not received, over sequence numbers [0, upTo). */
    long lost(long upTo) {
        long lost = 0;
        for (long s = 0; s < upTo; s++) {
            if (confirmed.get(s) && !received.get(s)) {
                lost++;
            }
        }
        return lost;
    }

    private static final class Bits {
        private final AtomicReferenceArray<AtomicLongArray> segments = new AtomicReferenceArray<>(SEGMENTS);

        /** Sets the bit; returns whether it was clear. */
        boolean set(long index) {
            AtomicLongArray seg = segment(index, true);
            int bit = (int) (index % SEGMENT_BITS);
            long mask = 1L << (bit & 63);
            int word = bit >>> 6;
            while (true) {
                long old = seg.get(word);
                if ((old & mask) != 0) {
                    return false;
                }
                if (seg.compareAndSet(word, old, old | mask)) {
                    return true;
                }
            }
        }

        boolean get(long index) {
            AtomicLongArray seg = segment(index, false);
            if (seg == null) {
                return false;
            }
            int bit = (int) (index % SEGMENT_BITS);
            return (seg.get(bit >>> 6) & (1L << (bit & 63))) != 0;
        }

        private AtomicLongArray segment(long index, boolean create) {
            int s = (int) (index / SEGMENT_BITS);
            if (s >= SEGMENTS) {
                throw new IllegalStateException("sequence number " + index + " beyond the tracker's range");
            }
            AtomicLongArray seg = segments.get(s);
            if (seg == null && create) {
                segments.compareAndSet(s, null, new AtomicLongArray(SEGMENT_BITS / 64));
                seg = segments.get(s);
            }
            return seg;
        }
    }
}
