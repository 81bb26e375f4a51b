package io.anymq.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one workload against one target: consumers first, then producers for the warm-up and the
 * measured time (at a fixed rate, latency is taken from the intended send time, which corrects for
 * coordinated omission), then a drain until everything confirmed has arrived. Every message is
 * numbered, so losses and duplicates are counted exactly.
 */
final class BenchRunner {
    /** Unconfirmed sends per producer, on every target: the SDK producer's default window. */
    static final int MAX_IN_FLIGHT = io.anymq.ProducerOptions.DEFAULT_MAX_IN_FLIGHT;
    /** The SDK producer's default window, whose places a send of a given size takes on every target. */
    private static final io.anymq.ProducerOptions WINDOW = io.anymq.ProducerOptions.of("bench");
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Workload workload;
    private final PrintStream progressOut;
    private final boolean interactive;

    BenchRunner(Workload workload, PrintStream progressOut, boolean interactive) {
        this.workload = workload;
        this.progressOut = progressOut;
        this.interactive = interactive;
    }

    RunResult run(BenchTarget target, String label) throws Exception {
        Workload w = workload;
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < w.topics(); i++) {
            topics.add("bench-" + runId + "-" + i);
        }
        List<String> groups = new ArrayList<>();
        for (int sub = 0; sub < w.subscriptions(); sub++) {
            groups.add(w.subscriptions() == 1 ? "bench-group" : "bench-group-" + sub);
        }
        target.prepare(topics);

        List<Tracker> trackers = new ArrayList<>();
        for (int i = 0; i < w.subscriptions(); i++) {
            trackers.add(new Tracker());
        }
        Recorder publish = new Recorder(HIGHEST_MICROS, 3);
        Recorder e2e = new Recorder(HIGHEST_MICROS, 3);
        LongAdder published = new LongAdder();
        LongAdder consumed = new LongAdder();
        LongAdder redeliveries = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicLong nextSeq = new AtomicLong();
        MeasureWindow window = new MeasureWindow();
        long[] cpu = {-1, -1}; // the JVM's CPU time when the measured time began and ended

        List<AutoCloseable> consumers = new ArrayList<>();
        try {
            // every subscription (group) of every topic gets its consumers; each subscription counts its own
            // arrivals, so a fan-out's copies are not duplicates
            for (int sub = 0; sub < w.subscriptions(); sub++) {
                Tracker tracker = trackers.get(sub);
                BenchTarget.Sink sink = (ByteBuffer payload, boolean redelivered) -> {
                    long now = System.nanoTime();
                    long seq = Payloads.sequence(payload);
                    long intended = Payloads.intendedNanos(payload);
                    if (redelivered) {
                        redeliveries.increment();
                    }
                    if (tracker.received(seq) && window.contains(intended)) {
                        e2e.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intended) / 1000)));
                        consumed.increment();
                    }
                };
                String group = groups.get(sub);
                for (String topic : topics) {
                    for (int c = 0; c < w.consumers(); c++) {
                        consumers.add(Handlers.consume(target, topic, group, Handlers.delayed(sink, w.handlerDelay()), w.concurrency()));
                    }
                }
            }
            List<Thread> producers = new ArrayList<>();
            List<BenchTarget.Sender> senders = new ArrayList<>();
            volatileStop = false;
            lastSendNanos.set(0);
            behindNanos.set(0);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long measureFrom = start + w.warmup().toNanos();
            long measureTo = measureFrom + w.duration().toNanos();
            window.set(measureFrom, measureTo);
            byte[] filler = Payloads.filler(w.messageSize());
            for (int p = 0; p < w.totalProducers(); p++) {
                BenchTarget.Sender sender = target.sender(topics.get(p % topics.size()));
                senders.add(sender);
                int producerIndex = p;
                Thread t = new Thread(() -> produce(sender, producerIndex, start, measureTo, filler, nextSeq, trackers,
                        publish, published, failures, window), "bench-producer-" + p);
                producers.add(t);
            }
            producers.forEach(Thread::start);
            progressUntil(label, measureTo, published, consumed, window, cpu);
            volatileStop = true;
            for (Thread t : producers) {
                t.join();
            }
            for (BenchTarget.Sender s : senders) {
                s.flush();
            }
            drain(trackers, failures, nextSeq);
            for (BenchTarget.Sender s : senders) {
                s.close();
            }
        } finally {
            for (AutoCloseable c : consumers) {
                c.close();
            }
            try {
                target.cleanUp(topics, groups);
            } catch (Exception e) {
                progressOut.println(label + ": could not delete the run's topics (" + e + "); the broker keeps them");
            }
        }
        if (interactive) {
            progressOut.print("\r\033[K");
        }
        Histogram pub = publish.getIntervalHistogram();
        Histogram end = e2e.getIntervalHistogram();
        Duration measured = Duration.ofNanos(Math.max(1, Math.min(window.to, lastSendNanos.get()) - window.from));
        if (measured.compareTo(w.duration()) < 0) {
            progressOut.println(label + ": producers reached max-messages after " + measured.toMillis() + " ms of the measured "
                    + w.duration().toMillis() + " ms; rates are over the shorter time");
        }
        long upTo = nextSeq.get();
        return new RunResult(label, target.name(), measured, published.sum(), consumed.sum(), w.messageSize(), pub, end,
                trackers.get(0).confirmedCount(), trackers.stream().mapToLong(Tracker::uniqueReceived).sum(),
                trackers.stream().mapToLong(Tracker::duplicates).sum(), redeliveries.sum(),
                trackers.stream().mapToLong(t -> t.lost(upTo)).sum(), failures.sum(), cpu[0] < 0 || cpu[1] < 0 ? -1 : cpu[1] - cpu[0],
                Duration.ofNanos(behindNanos.get()));
    }

    private volatile boolean volatileStop;
    private final AtomicLong lastSendNanos = new AtomicLong();
    /** At a fixed rate: how much of its schedule the slowest producer had not sent when the measured time ended. */
    private final AtomicLong behindNanos = new AtomicLong();

    private void produce(BenchTarget.Sender sender, int producerIndex, long start, long end, byte[] filler, AtomicLong nextSeq,
                         List<Tracker> trackers, Recorder publish, LongAdder published, LongAdder failures, MeasureWindow window) {
        Workload w = workload;
        int producers = w.totalProducers();
        long interval = w.rate() == 0 ? 0 : (long) (1e9 * producers / w.rate());
        long n = 0;
        // the same bound on unconfirmed sends for every target (the SDK's default window: 1,024 sends and 16 MiB of
        // payload, a payload over 16 KiB taking one place per started 16 KiB), so that no side buys throughput with an
        // unbounded queue
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        int places = WINDOW.windowPlaces(filler.length);
        // stagger fixed-rate producers so their sends interleave
        long first = start + (interval == 0 ? 0 : interval * producerIndex / producers);
        try {
            while (!volatileStop && n < w.maxMessages()) {
                long intended;
                if (interval > 0) {
                    intended = first + n * interval;
                    if (intended >= end) {
                        break;
                    }
                    waitUntil(intended);
                } else {
                    intended = System.nanoTime();
                    if (intended >= end) {
                        break;
                    }
                }
                long seq = nextSeq.getAndIncrement();
                String key = w.keys() > 0 ? "key-" + (seq % w.keys()) : null;
                long sentIntended = intended;
                inFlight.acquire(places);
                sender.send(Payloads.make(filler, seq, intended), key, error -> {
                    inFlight.release(places);
                    if (error != null) {
                        failures.increment();
                        return;
                    }
                    for (Tracker tracker : trackers) {
                        tracker.confirmed(seq);
                    }
                    if (window.contains(sentIntended)) {
                        publish.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (System.nanoTime() - sentIntended) / 1000)));
                        published.increment();
                    }
                });
                n++;
            }
            lastSendNanos.accumulateAndGet(System.nanoTime(), Math::max);
            if (interval > 0 && n < w.maxMessages()) {
                // stopped at the end of the measured time with sends of the schedule left: the rate was not kept, and
                // the sends made in the measured time carried intended times from before it
                long next = first + n * interval;
                behindNanos.accumulateAndGet(Math.max(0, Math.min(end, System.nanoTime()) - next), Math::max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures.increment();
            progressOut.println("producer " + producerIndex + " stopped: " + e);
        }
    }

    private static void waitUntil(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            if (left > 100_000) {
                LockSupport.parkNanos(left - 50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void progressUntil(String label, long end, LongAdder published, LongAdder consumed, MeasureWindow window, long[] cpu)
            throws InterruptedException {
        long lastPub = 0, lastCons = 0;
        while (System.nanoTime() < end) {
            long untilWindow = window.from - System.nanoTime();
            long sleep = Math.min(1000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (untilWindow > 0) {
                sleep = Math.min(sleep, Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilWindow))); // wake when it begins
            }
            Thread.sleep(sleep);
            if (cpu[0] < 0 && window.started()) {
                cpu[0] = processCpuNanos();
            }
            long pub = published.sum(), cons = consumed.sum();
            String phase = window.started() ? "measuring" : "warm-up";
            String line = String.format("%s %-9s sent %,10d msg/s   received %,10d msg/s", label, phase,
                    (pub - lastPub) * 1000 / sleep, (cons - lastCons) * 1000 / sleep);
            lastPub = pub;
            lastCons = cons;
            if (interactive) {
                progressOut.print("\r\033[K" + line);
            } else {
                progressOut.println(line);
            }
            progressOut.flush();
        }
        cpu[1] = processCpuNanos();
    }

    /** The CPU time of this JVM so far, or -1 where the platform does not report it. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** Waits until every confirmed send has arrived, or the drain timeout. */
    private void drain(List<Tracker> trackers, LongAdder failures, AtomicLong nextSeq) throws InterruptedException {
        long deadline = System.nanoTime() + workload.drainTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            long confirmed = trackers.get(0).confirmedCount();
            if (confirmed + failures.sum() >= nextSeq.get() && trackers.stream().allMatch(t -> t.uniqueReceived() >= confirmed)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** The measured window in nanoTime terms; messages whose intended send time falls in it count. */
    private static final class MeasureWindow {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MIN_VALUE;

        void set(long from, long to) {
            this.from = from;
            this.to = to;
        }

        boolean contains(long intended) {
            return intended >= from && intended < to;
        }

        boolean started() {
            return System.nanoTime() >= from;
        }
    }
}
