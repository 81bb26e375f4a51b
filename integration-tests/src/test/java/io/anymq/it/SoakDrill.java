package io.anymq.it;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak (#22, run with {@code -Pdrills}): steady traffic on every chosen backend at once for
 * {@code -Ddrill.soak.minutes} (default 60), one broker of each kind (started one after the other), each backend's
 * client in its own JVM ({@link SoakChild}, {@code -Xmx256m}, launched with the test class path): one producer at
 * {@code -Ddrill.soak.rate} messages a second (default 50) of {@code -Ddrill.soak.bytes} (default 1024), one member
 * of a group acking. Every {@code -Ddrill.soak.interval} seconds (default 30) the child writes heap used after a full
 * GC, live threads, open file descriptors, RSS and its counts to {@code target/drill/soak-<backend>.csv}; the drill
 * draws {@code target/drill/soak-<metric>.svg} and writes {@code target/drill/soak.md}.
 *
 * <p>Flat means, comparing the last third of the samples with the first third (which holds the warm-up):
 * <ul>
 *   <li>heap after GC: the highest of the last third at most the highest of the first third plus
 *   {@link #HEAP_MARGIN_BYTES} plus {@link #HEAP_MARGIN_FRACTION} of it. What a sample catches in flight (a producer
 *   batch, a prefetched batch, settlement queues) is a few hundred 1 KB messages, well under the margin; a leak of
 *   100 bytes per message grows by 12 MB in the 40 minutes between the thirds of an hour and fails it;</li>
 *   <li>threads: at most {@link #THREAD_MARGIN} more (pools that start threads on demand and retire them when idle,
 *   such as the common ForkJoinPool, make a sample vary by one or two);</li>
 *   <li>file descriptors: no more (each child writes what they point to into its log when their count changes);</li>
 *   <li>every confirmed message received, and no send failed.</li>
 * </ul>
 * RSS is drawn and tabled, not asserted: it holds the JIT's code cache, metaspace and malloc arenas, which settle
 * slowly without being leaks.
 *
 * <p>{@code mem:} runs with {@code capacity=1000}: the in-memory broker lives in the child and keeps up to
 * {@code capacity} messages, acked or not (100,000 by default, ~100 MB of 1 KB messages): by design, not a leak,
 * and with 1,000 it is full within the first 20 seconds. Memcached runs with {@code item-expiry=120s} for the same
 * reason: the module keeps a message for {@code item-expiry} (7 days by default), acked or not, and the harness's
 * 64 MB server ({@code -M}: no eviction) is full after ~50,000 messages of 1 KB (17 minutes at 50 a second), after
 * which every send fails with a BackpressureException; with 120 s it holds ~6,000.
 */
class SoakDrill {
    static final long HEAP_MARGIN_BYTES = 4L << 20;
    static final double HEAP_MARGIN_FRACTION = 0.10;
    static final int THREAD_MARGIN = 2;
    private static final Path DIR = Path.of("target", "drill");

    private static final double MINUTES = Double.parseDouble(property("drill.soak.minutes", "60"));
    private static final int RATE = Integer.parseInt(property("drill.soak.rate", "50"));
    private static final int BYTES = Integer.parseInt(property("drill.soak.bytes", "1024"));
    private static final int INTERVAL_SECONDS = Integer.parseInt(property("drill.soak.interval", "30"));

    /** A backend: a broker kind and the options after its URL, or for {@code mem:} (no broker) the whole URL. */
    private record Backend(BrokerKind kind, String options) {
    }

    private static final Map<String, Backend> BACKENDS = new LinkedHashMap<>();

    static {
        BACKENDS.put("mem", new Backend(null, "mem:soak?capacity=1000"));
        BACKENDS.put("redis-stream", new Backend(BrokerKind.REDIS, "?mode=stream"));
        BACKENDS.put("redis-list", new Backend(BrokerKind.REDIS, "?mode=list"));
        BACKENDS.put("redis-zset", new Backend(BrokerKind.REDIS, "?mode=zset"));
        BACKENDS.put("nats-core", new Backend(BrokerKind.NATS, ""));
        BACKENDS.put("nats-jetstream", new Backend(BrokerKind.NATS, "?jetstream=true"));
        BACKENDS.put("memcached", new Backend(BrokerKind.MEMCACHED, "?eviction=refuse&item-expiry=120s"));
        BACKENDS.put("rabbitmq", new Backend(BrokerKind.RABBITMQ, ""));
        BACKENDS.put("activemq", new Backend(BrokerKind.ACTIVEMQ, ""));
        BACKENDS.put("artemis", new Backend(BrokerKind.ARTEMIS, ""));
        BACKENDS.put("hornetq", new Backend(BrokerKind.HORNETQ, ""));
        BACKENDS.put("kafka", new Backend(BrokerKind.KAFKA, ""));
        BACKENDS.put("rocketmq", new Backend(BrokerKind.ROCKETMQ, ""));
        BACKENDS.put("pulsar", new Backend(BrokerKind.PULSAR, ""));
    }

    /** What happened to one backend's child: its exit code, or why it did not run. */
    private record Outcome(Integer exitCode, Throwable error) {
    }

    private static Map<String, Outcome> outcomes;

    @TestFactory
    List<DynamicTest> memoryThreadsAndDescriptorsStayFlat() {
        Map<String, Backend> chosen = DrillBackends.chosen(BACKENDS);
        return DrillBackends.tests(chosen, (name, backend) -> check(name, soak(chosen).get(name)));
    }

    /** Runs every chosen backend at once, the first time a backend's test asks; the later ones read what it left. */
    private static synchronized Map<String, Outcome> soak(Map<String, Backend> chosen) throws Exception {
        if (outcomes != null) {
            return outcomes;
        }
        Files.createDirectories(DIR);
        Map<String, Outcome> result = new LinkedHashMap<>();
        Map<BrokerKind, Broker> brokers = new LinkedHashMap<>();
        Map<BrokerKind, RuntimeException> brokerFailures = new LinkedHashMap<>();
        Map<String, Process> children = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        try {
            for (Map.Entry<String, Backend> e : chosen.entrySet()) {
                String name = e.getKey();
                Backend backend = e.getValue();
                String url = backend.options();
                if (backend.kind() != null) {
                    BrokerKind kind = backend.kind();
                    if (!brokers.containsKey(kind) && !brokerFailures.containsKey(kind)) {
                        // one broker at a time: provide returns once it is ready
                        log.add(Instant.now() + " starting " + kind.id() + ", MemAvailable " + memAvailableMb() + " MB");
                        try {
                            brokers.put(kind, TestBrokers.provide(kind));
                        } catch (RuntimeException failure) {
                            brokerFailures.put(kind, failure);
                        }
                    }
                    if (brokerFailures.containsKey(kind)) {
                        result.put(name, new Outcome(null, brokerFailures.get(kind)));
                        continue;
                    }
                    url = DrillBackends.url(brokers.get(kind).url(), backend.options());
                }
                try {
                    children.put(name, launch(name, url));
                    log.add(Instant.now() + " started " + name);
                } catch (IOException failure) {
                    result.put(name, new Outcome(null, failure));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) (MINUTES * 60) + 600);
            for (Map.Entry<String, Process> c : children.entrySet()) {
                Process p = c.getValue();
                long left = Math.max(1, deadline - System.nanoTime());
                if (p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    result.put(c.getKey(), new Outcome(p.exitValue(), null));
                } else {
                    p.destroyForcibly();
                    result.put(c.getKey(), new Outcome(null,
                            new AssertionError("the child did not end within 10 minutes after its " + MINUTES + " minutes")));
                }
            }
            log.add(Instant.now() + " every child ended, MemAvailable " + memAvailableMb() + " MB");
        } finally {
            children.values().forEach(p -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            });
            List<Broker> started = new ArrayList<>(brokers.values());
            Collections.reverse(started);
            started.forEach(Broker::close);
        }
        Map<String, Outcome> ordered = new LinkedHashMap<>();
        chosen.keySet().forEach(name -> ordered.put(name, result.get(name)));
        outcomes = ordered;
        writeReport(ordered, log);
        return outcomes;
    }

    private static Process launch(String name, String url) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path csv = csv(name).toAbsolutePath();
        Files.deleteIfExists(csv);
        Files.deleteIfExists(SoakChild.summaryOf(csv));
        String topic = "soak-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        // the attach listener from the start: a jcmd or jstack during the soak then adds no socket and no thread
        // (it did in the first run: one file descriptor more in three children, by the observer)
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+StartAttachListener", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, SoakChild.class.getName(),
                url, topic, String.valueOf(MINUTES), String.valueOf(RATE), String.valueOf(BYTES), String.valueOf(INTERVAL_SECONDS),
                csv.toString());
        Path log = DIR.resolve("soak-" + name + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void check(String name, Outcome outcome) throws IOException {
        if (outcome.error() instanceof TestAbortedException skipped) {
            throw skipped;
        }
        String logTail = "its log: " + DIR.resolve("soak-" + name + ".log");
        assertThat(outcome.error()).as(name + " ran").isNull();
        assertThat(outcome.exitCode()).as(name + ": the child's exit code (" + logTail + ")").isZero();
        List<SoakSample> samples = SoakSample.read(csv(name));
        assertThat(samples).as(name + ": samples (need three or more to compare thirds)").hasSizeGreaterThanOrEqualTo(3);
        SoakSample.Thirds heap = SoakSample.thirds(samples, SoakSample::heapAfterGc);
        assertThat(heap.lastMax()).as(name + ": heap after GC, highest of the last third (bytes) against the first third's "
                + heap.firstMax() + " + margin").isLessThanOrEqualTo(heap.firstMax() + HEAP_MARGIN_BYTES + (long) (heap.firstMax() * HEAP_MARGIN_FRACTION));
        SoakSample.Thirds threads = SoakSample.thirds(samples, SoakSample::threads);
        assertThat(threads.lastMax()).as(name + ": live threads, highest of the last third against the first third's " + threads.firstMax())
                .isLessThanOrEqualTo(threads.firstMax() + THREAD_MARGIN);
        SoakSample.Thirds fds = SoakSample.thirds(samples, SoakSample::fds);
        assertThat(fds.lastMax()).as(name + ": open file descriptors, highest of the last third against the first third's "
                + fds.firstMax() + " (" + logTail + " lists them)").isLessThanOrEqualTo(fds.firstMax());
        Properties summary = summary(name);
        assertThat(Long.parseLong(summary.getProperty("confirmed"))).as(name + ": confirmed sends").isPositive();
        assertThat(Long.parseLong(summary.getProperty("send_failed"))).as(name + ": failed sends, the first: "
                + summary.getProperty("first_send_failure")).isZero();
        assertThat(Long.parseLong(summary.getProperty("confirmed_not_received"))).as(name + ": confirmed and never received, the first: "
                + summary.getProperty("first_missing")).isZero();
    }

    private static Path csv(String name) {
        return DIR.resolve("soak-" + name + ".csv");
    }

    private static Properties summary(String name) throws IOException {
        Properties p = new Properties();
        Path file = SoakChild.summaryOf(csv(name).toAbsolutePath());
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    private static void writeReport(Map<String, Outcome> outcomes, List<String> log) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("Soak: " + MINUTES + " min, " + RATE + " msg/s of " + BYTES + " B per backend, a sample every " + INTERVAL_SECONDS
                + " s; first third -> last third (highest sample of each), RSS first sample -> last sample.");
        lines.add("");
        lines.add("| backend | sent | confirmed | received | confirmed, not received | duplicates | failed sends "
                + "| heap after GC (MB) | threads | fds | RSS (MB) |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<SoakSample>> series = new LinkedHashMap<>();
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            String name = e.getKey();
            Outcome o = e.getValue();
            if (o.error() != null || !Files.exists(csv(name))) {
                lines.add("| " + name + " | did not run: " + (o.error() == null ? "exit " + o.exitCode() : o.error()) + " |||||||||");
                continue;
            }
            List<SoakSample> samples = SoakSample.read(csv(name));
            series.put(name, samples);
            Properties s = summary(name);
            if (samples.isEmpty()) {
                lines.add("| " + name + " | no sample (exit " + o.exitCode() + ") |||||||||");
                continue;
            }
            SoakSample.Thirds heap = SoakSample.thirds(samples, SoakSample::heapAfterGc);
            SoakSample.Thirds threads = SoakSample.thirds(samples, SoakSample::threads);
            SoakSample.Thirds fds = SoakSample.thirds(samples, SoakSample::fds);
            lines.add("| " + name + " | " + s.getProperty("sent", "?") + " | " + s.getProperty("confirmed", "?") + " | "
                    + s.getProperty("received", "?") + " | " + s.getProperty("confirmed_not_received", "?") + " | "
                    + s.getProperty("duplicates", "?") + " | " + s.getProperty("send_failed", "?") + " | "
                    + mb(heap.firstMax()) + " → " + mb(heap.lastMax()) + " | " + threads.firstMax() + " → " + threads.lastMax() + " | "
                    + fds.firstMax() + " → " + fds.lastMax() + " | " + samples.get(0).rssKb() / 1024 + " → "
                    + samples.get(samples.size() - 1).rssKb() / 1024 + " |");
        }
        lines.add("");
        log.forEach(l -> lines.add("    " + l));
        Files.write(DIR.resolve("soak.md"), lines, StandardCharsets.UTF_8);
        SoakChart.write(DIR.resolve("soak-heap.svg"), "Heap used after a full GC (MB)", series, s -> s.heapAfterGc() / 1048576.0);
        SoakChart.write(DIR.resolve("soak-threads.svg"), "Live threads", series, s -> s.threads());
        SoakChart.write(DIR.resolve("soak-fds.svg"), "Open file descriptors", series, s -> s.fds());
        SoakChart.write(DIR.resolve("soak-rss.svg"), "Resident set size (MB)", series, s -> s.rssKb() / 1024.0);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static long memAvailableMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.substring(13).replace("kB", "").trim()) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static String property(String name, String fallback) {
        String v = System.getProperty(name, "");
        return v.isBlank() ? fallback : v;
    }
}
