package io.anymq.bench;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * SDK runs against native runs of the same workload: throughput ratio (mean SDK / mean native) and
 * p99 ratios (of the merged histograms).
 *
 * @param sdk    the SDK's runs
 * @param nativ  the native client's runs
 */
record Comparison(List<RunResult> sdk, List<RunResult> nativ) {

    /** Whether every run of both sides kept the fixed rate ({@link RunResult#keptTheRate()}): else no ratio means anything. */
    boolean comparable() {
        return sdk.stream().allMatch(RunResult::keptTheRate) && nativ.stream().allMatch(RunResult::keptTheRate);
    }

    double throughputRatio() {
        return mean(sdk) / mean(nativ);
    }

    double publishP99Ratio() {
        return ratio(merge(sdk, true).getValueAtPercentile(99), merge(nativ, true).getValueAtPercentile(99));
    }

    double endToEndP99Ratio() {
        return ratio(merge(sdk, false).getValueAtPercentile(99), merge(nativ, false).getValueAtPercentile(99));
    }

    /** Mean CPU per message of the SDK's runs over the native runs' (NaN where the JVM does not report CPU time). */
    double cpuPerMessageRatio() {
        return sdk.stream().mapToDouble(RunResult::cpuMicrosPerMessage).average().orElse(Double.NaN)
                / nativ.stream().mapToDouble(RunResult::cpuMicrosPerMessage).average().orElse(Double.NaN);
    }

    /** Latencies are whole microseconds; below 1 µs both sides count as 1 µs, so a ratio stays finite. */
    private static double ratio(long a, long b) {
        return (double) Math.max(1, a) / Math.max(1, b);
    }

    private static double mean(List<RunResult> runs) {
        return runs.stream().mapToDouble(RunResult::consumeRate).average().orElse(0);
    }

    static Histogram merge(List<RunResult> runs, boolean publish) {
        Histogram h = null;
        for (RunResult r : runs) {
            Histogram x = publish ? r.publishLatency() : r.endToEnd();
            if (h == null) {
                h = x.copy();
            } else {
                h.add(x);
            }
        }
        return h;
    }
}
