package io.anymq.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * The outcome of one measured run.
 *
 * @param label          e.g. {@code anymq #1}
 * @param target         the target's name
 * @param measured       the measured time
 * @param publishCount   confirmed sends within the measured time
 * @param consumeCount   arrivals within the measured time
 * @param messageSize    payload bytes
 * @param publishLatency confirm time minus intended send time, microseconds
 * @param endToEnd       arrival time minus intended send time, microseconds
 * @param confirmed      every confirmed send of the run (warm-up included)
 * @param received       every distinct arrival of the run
 * @param duplicates     arrivals of a message that had arrived before
 * @param redeliveries   arrivals the backend marked as redelivered
 * @param lost           confirmed but never received (after the drain)
 * @param failures       sends that failed
 * @param cpuNanos       CPU time of this whole JVM during the measured time (the client's, and the broker's
 *                       where it runs inside, as mem: does), or -1 where the JVM does not report it
 * @param behind         at a fixed rate, how far the slowest producer was behind its schedule when the measured
 *                       time ended (zero when it kept the rate, and at the maximum rate)
 */
record RunResult(String label, String target, Duration measured, long publishCount, long consumeCount, int messageSize,
                 Histogram publishLatency, Histogram endToEnd, long confirmed, long received, long duplicates,
                 long redeliveries, long lost, long failures, long cpuNanos, Duration behind) {

    /**
     * Whether the producers kept the fixed rate: at most 100 ms or 2 % of the measured time behind their schedule at
     * its end. A run that fell further behind counts what arrived by intended send time, so it undercounts (down to
     * nothing when the whole measured time's sends carried intended times of the warm-up): not a throughput.
     */
    boolean keptTheRate() {
        return behind.compareTo(Duration.ofMillis(Math.max(100, measured.toMillis() / 50))) <= 0;
    }

    double publishRate() {
        return publishCount / seconds();
    }

    double consumeRate() {
        return consumeCount / seconds();
    }

    double publishMBps() {
        return publishRate() * messageSize / (1024.0 * 1024.0);
    }

    /**
     * The JVM's CPU time per message that arrived in the measured time, in microseconds (NaN when unknown).
     * It includes the JVM's fixed costs per second (idle pollers, timers, the JIT, GC), spread over the
     * messages: compare runs at similar rates (a fixed {@code --rate}), not a fast run with a slow one. On a
     * loaded machine it swings too (2026-11-30, load 12-16: Redis Streams 7-64 µs between runs).
     */
    double cpuMicrosPerMessage() {
        long n = consumeCount > 0 ? consumeCount : publishCount;
        return cpuNanos < 0 || n == 0 ? Double.NaN : cpuNanos / 1000.0 / n;
    }

    private double seconds() {
        return measured.toNanos() / 1e9;
    }
}
