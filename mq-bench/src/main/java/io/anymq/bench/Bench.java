package io.anymq.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One benchmark: a workload through anymq and, with {@link #withNative(boolean)}, through the
 * backend's plain client, alternating (ABBA...: who goes first changes each round). Prints
 * throughput, latency percentiles, losses and the SDK/native ratios, and writes JSON and an HTML
 * chart. This is the library behind {@code mq bench} (the command line itself lives in mq-cli):
 *
 * <pre>{@code
 * Bench.Result r = new Bench("kafka://127.0.0.1:9092", Workload.defaults()).withNative(false).rounds(3).run();
 * }</pre>
 */
public final class Bench {
    /** What a run produced: confirmed messages lost over every run, and the files written. */
    public record Result(long lost, Path json, Path chart) {
    }

    /** Opens a new target of a peer framework for one run (warm-up or measured) against the bench's URL. */
    @FunctionalInterface
    public interface PeerFactory {
        BenchTarget open(String url) throws Exception;
    }

    /** One side of the comparison: a name for the ratio line and how to open it for a run. */
    private record Side(String name, PeerFactory factory) {
        BenchTarget open(String url) throws Exception {
            return factory.open(url);
        }
    }

    private final String url;
    private final Workload workload;
    private boolean withNative;
    private boolean nativeMetadata;
    private int rounds = 2;
    private int warmupRounds = 1;
    private Path out = Path.of("target", "bench");
    private PrintStream report = System.out;
    private PrintStream progress = System.err;
    private boolean interactive;
    private List<io.anymq.MessagingInterceptor> interceptors = List.of();
    private final List<Side> peers = new ArrayList<>();

    public Bench(String url, Workload workload) {
        this.url = Objects.requireNonNull(url, "url");
        this.workload = Objects.requireNonNull(workload, "workload");
    }

    /**
     * Also runs the backend's native client, alternating with anymq. With {@code nativeMetadata} the
     * native side also carries what anymq's mapping puts on the wire for a message sent without id or
     * timestamp, to tell the cost of that content from the cost of the SDK's code.
     */
    public Bench withNative(boolean nativeMetadata) {
        this.withNative = true;
        this.nativeMetadata = nativeMetadata;
        return this;
    }

    /**
     * Interceptors installed in the anymq side's client (metrics, tracing), to measure their cost;
     * the native side runs without. Default none.
     */
    public Bench interceptors(List<? extends io.anymq.MessagingInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
        return this;
    }

    /**
     * Also runs a peer framework (for example Spring Cloud Stream, from mq-bench-peer) in every round, after or
     * before the other sides as the round's order says, and reports its ratios to the native client next to
     * anymq's. Needs {@link #withNative(boolean)}: the ratios are to the native client.
     *
     * @param name    the peer's name in the ratio line and the JSON's {@code peerRatios}
     * @param factory opens a new target of the peer for each run
     */
    public Bench peer(String name, PeerFactory factory) {
        peers.add(new Side(Objects.requireNonNull(name, "name"), Objects.requireNonNull(factory, "factory")));
        return this;
    }

    /** Measured runs of each side (at least 1; default 2). */
    public Bench rounds(int rounds) {
        this.rounds = rounds;
        return this;
    }

    /** Unreported runs of each side before the measured rounds (default 1). */
    public Bench warmupRounds(int warmupRounds) {
        this.warmupRounds = warmupRounds;
        return this;
    }

    /** Directory for the JSON and the chart (default {@code target/bench}). */
    public Bench out(Path out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /** Where the result table goes (default stdout) and where progress goes (default stderr). */
    public Bench printTo(PrintStream report, PrintStream progress, boolean interactive) {
        this.report = Objects.requireNonNull(report, "report");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.interactive = interactive;
        return this;
    }

    public Result run() throws Exception {
        if (!peers.isEmpty() && !withNative) {
            throw new io.anymq.ConfigurationException("a peer framework is compared with the native client: call withNative(...) too");
        }
        BenchRunner runner = new BenchRunner(workload, progress, interactive);
        java.util.Set<String> notes = new java.util.LinkedHashSet<>();
        try (BenchTarget sdk = new SdkTarget(url, interceptors, workload)) {
            notes.addAll(sdk.notes(workload));
        }
        boolean withNative = this.withNative;
        if (withNative) {
            try (BenchTarget nat = NativeTargets.forUrl(url, nativeMetadata, workload)) {
                String cannot = nat.cannotRun(workload);
                if (cannot != null) {
                    // not faked: the shape is reported for anymq alone, with the reason
                    notes.add(nat.name() + " not run: " + cannot);
                    withNative = false;
                } else {
                    notes.addAll(nat.notes(workload));
                    if (workload.concurrency() > 1 && !nat.runsConcurrency()) {
                        notes.add(nat.name() + ": " + Handlers.handOffNote(workload));
                    }
                }
            }
        }
        Side sdkSide = new Side("anymq", u -> new SdkTarget(u, interceptors, workload));
        Side nativeSide = new Side("native", u -> NativeTargets.forUrl(u, nativeMetadata, workload));
        List<Side> sides = new ArrayList<>();
        sides.add(sdkSide);
        if (withNative) {
            sides.add(nativeSide);
            sides.addAll(peers); // a peer is compared with the native client: not run where the native side cannot run the shape
        } else if (!peers.isEmpty()) {
            notes.add("peer frameworks not run: the native client cannot run this shape, and their ratios are to it");
        }
        Map<Side, List<RunResult>> bySide = new LinkedHashMap<>();
        sides.forEach(s -> bySide.put(s, new ArrayList<>()));
        List<RunResult> all = new ArrayList<>();
        // a warm-up round is a whole run of each side, not reported: the JIT compiles both sides' paths and
        // the heap finds its size before anything is measured
        for (int i = 1; i <= warmupRounds; i++) {
            for (Side side : sides) {
                try (BenchTarget t = side.open(url)) {
                    runner.run(t, "warm-up " + t.name() + " #" + i);
                }
            }
        }
        // ABBA: the order of the sides reverses from round to round, so a broker that is still warming up
        // (its throughput grows round by round) does not always favour the same side
        for (int i = 1; i <= Math.max(1, rounds); i++) {
            List<Side> order = new ArrayList<>(sides);
            if (i % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (Side side : order) {
                try (BenchTarget t = side.open(url)) {
                    RunResult r = runner.run(t, t.name() + " #" + i);
                    bySide.get(side).add(r);
                    all.add(r);
                }
            }
        }
        List<RunResult> sdkRuns = bySide.get(sdkSide);
        List<RunResult> nativeRuns = withNative ? bySide.get(nativeSide) : List.of();
        Map<String, Comparison> peerComparisons = new LinkedHashMap<>();
        if (withNative) {
            peers.forEach(p -> peerComparisons.put(p.name(), new Comparison(bySide.get(p), nativeRuns)));
        }
        Comparison comparison = withNative ? new Comparison(sdkRuns, nativeRuns) : null;
        for (RunResult r : all) {
            if (!r.keptTheRate()) {
                notes.add(String.format(java.util.Locale.ROOT, "%s: the producers fell %,d ms behind the fixed rate of %,d msg/s by the end "
                        + "of the measured time: its sends there carried earlier intended times, and only those intended in it count",
                        r.label(), r.behind().toMillis(), workload.rate()));
            }
        }
        Reports.printTable(report, url, workload, all, comparison, peerComparisons);
        notes.forEach(n -> report.println("note: " + n));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String scheme = io.anymq.MqUrl.parse(url).scheme();
        String base = "bench-" + scheme + (workload.name().isEmpty() ? "" : "-" + workload.name().replaceAll("[^A-Za-z0-9._-]+", "_")) + "-" + stamp;
        Path json = out.resolve(base + ".json");
        Path chart = out.resolve(base + ".html");
        Reports.writeJson(json, url, workload, all, comparison, List.copyOf(notes), peerComparisons);
        Reports.writeChart(chart, url, workload, all);
        report.println("wrote " + json + " and " + chart);
        long lost = all.stream().mapToLong(RunResult::lost).sum();
        if (lost > 0) {
            report.println("LOST " + lost + " confirmed messages");
        }
        return new Result(lost, json, chart);
    }
}
