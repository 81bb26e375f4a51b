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
 */
record RunResult(String label, String target, Duration measured, long publishCount, long consumeCount, int messageSize,
                 Histogram publishLatency, Histogram endToEnd, long confirmed, long received, long duplicates,
                 long redeliveries, long lost, long failures) {

    double publishRate() {
        return publishCount / seconds();
    }

    double consumeRate() {
        return consumeCount / seconds();
    }

    double publishMBps() {
        return publishRate() * messageSize / (1024.0 * 1024.0);
    }

    private double seconds() {
        return measured.toNanos() / 1e9;
    }
}
