package io.anymq.it;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.Subscription;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backend's side of {@link SoakDrill}, run in its own JVM ({@code -Xmx256m}) so that its heap, threads and file
 * descriptors are its own: one producer at a fixed rate, one member of a group that acks (a {@code subscribe}
 * handler returning normally), for a number of minutes. Every interval it forces a full GC and appends one CSV row
 * ({@link #HEADER}); at the end it stops sending, waits for the last confirmations and deliveries, and writes a
 * summary ({@code <csv>.summary}, a properties file): what was sent, confirmed, received, and how many confirmed
 * messages never arrived. When the open file descriptors change, it logs which (stdout).
 *
 * <p>Arguments: {@code url topic minutes rate payloadBytes intervalSeconds csvPath}.
 */
final class SoakChild {
    static final String HEADER = "elapsed_s,heap_after_gc_bytes,threads,fds,rss_kb,sent,confirmed,send_failed,received,duplicates";
    /** How long to wait, after the last send, for the last confirmations and then the last deliveries. */
    private static final Duration DRAIN = Duration.ofSeconds(120);

    private final BitSet confirmed = new BitSet();
    private final BitSet received = new BitSet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailed = new AtomicLong();
    private long duplicates;
    private String firstSendFailure = "";

    private SoakChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: SoakChild url topic minutes rate payloadBytes intervalSeconds csvPath");
            System.exit(2);
        }
        new SoakChild().run(args[0], args[1], Double.parseDouble(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Path.of(args[6]));
        System.exit(0); // clients that leave non-daemon threads behind must not keep the child alive
    }

    private void run(String url, String topic, double minutes, int rate, int payloadBytes, int intervalSeconds, Path csv)
            throws Exception {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        byte[] payload = new byte[payloadBytes];
        java.util.Arrays.fill(payload, (byte) 'x');
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        try (MessagingClient client = Messaging.connect(url);
             BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            out.flush();
            StartPosition from = DrillBackends.earliestPossible(client);
            // the group exists (subscribed) before the first send, on every backend
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "soak").startPosition(from).build());
            Subscription subscription = consumer.subscribe(d -> received(seq(d.message().id())));
            Producer producer = client.producer(topic);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-producer");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> send(producer, payload), 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);

            long nextSample = start + TimeUnit.SECONDS.toNanos(intervalSeconds);
            TreeSet<String> lastFds = new TreeSet<>();
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    lastFds = sample(out, start, lastFds);
                    nextSample += TimeUnit.SECONDS.toNanos(intervalSeconds);
                }
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(Math.min(nextSample, end) - System.nanoTime()), 1_000)));
            }
            ticker.shutdown();
            ticker.awaitTermination(30, TimeUnit.SECONDS);
            producer.flush();
            long drainEnd = System.nanoTime() + DRAIN.toNanos();
            while (unconfirmed() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(100);
            }
            while (missing() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(100);
            }
            producer.close();
            subscription.close();
            consumer.close();
            writeSummary(csv, (System.nanoTime() - start) / 1e9);
        }
    }

    private void send(Producer producer, byte[] payload) {
        long seq = sent.getAndIncrement();
        try {
            producer.send(Message.builder().id("s-" + seq).payload(payload).build()).whenComplete((receipt, error) -> {
                if (error == null) {
                    synchronized (this) {
                        confirmed.set((int) seq);
                    }
                } else {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private synchronized void failed(Throwable error) {
        if (sendFailed.getAndIncrement() == 0) {
            firstSendFailure = String.valueOf(error);
            System.out.println("first send failure: " + error);
        }
    }

    private synchronized void received(int seq) {
        if (received.get(seq)) {
            duplicates++;
        } else {
            received.set(seq);
        }
    }

    private static int seq(String id) {
        return Integer.parseInt(id.substring(2));
    }

    private synchronized long unconfirmed() {
        return sent.get() - confirmed.cardinality() - sendFailed.get();
    }

    /** Confirmed and not (yet) received. */
    private synchronized int missing() {
        BitSet m = (BitSet) confirmed.clone();
        m.andNot(received);
        return m.cardinality();
    }

    private TreeSet<String> sample(BufferedWriter out, long start, TreeSet<String> lastFds) throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        TreeSet<String> fds = openFds();
        // only descriptors open in two listings 200 ms apart: the JVM's own short reads (its cgroup limits, once seen
        // in the middle of a listing) are not counted, a leaked one is
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fds.retainAll(openFds());
        long rssKb = rssKb();
        long confirmedNow;
        long receivedNow;
        long duplicatesNow;
        synchronized (this) {
            confirmedNow = confirmed.cardinality();
            receivedNow = received.cardinality();
            duplicatesNow = duplicates;
        }
        long elapsed = Math.round((System.nanoTime() - start) / 1e9);
        out.write(elapsed + "," + heap + "," + threads + "," + fds.size() + "," + rssKb + "," + sent.get() + "," + confirmedNow + ","
                + sendFailed.get() + "," + receivedNow + "," + duplicatesNow);
        out.newLine();
        out.flush();
        if (lastFds.isEmpty()) {
            System.out.println("t=" + elapsed + " s: " + fds.size() + " fds, of which " + fds.stream().filter(f -> f.endsWith(".jar")).count()
                    + " jars; the others: " + fds.stream().filter(f -> !f.endsWith(".jar")).toList());
        } else if (!fds.equals(lastFds)) {
            TreeSet<String> opened = new TreeSet<>(fds);
            opened.removeAll(lastFds);
            TreeSet<String> closed = new TreeSet<>(lastFds);
            closed.removeAll(fds);
            System.out.println("t=" + elapsed + " s: " + fds.size() + " fds; opened " + opened + "; closed " + closed);
        }
        return fds;
    }

    /** What each open file descriptor points to (sockets and pipes by inode, files by path), one entry per descriptor. */
    private static TreeSet<String> openFds() throws IOException {
        TreeSet<String> targets = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : dir) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // the descriptor of the directory stream itself, closed by now
                }
                if (!target.startsWith("/proc/")) { // the directory stream reading this
                    targets.add(fd.getFileName() + "->" + target);
                }
            }
        }
        return targets;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        return -1;
    }

    private synchronized void writeSummary(Path csv, double seconds) throws IOException {
        BitSet missing = (BitSet) confirmed.clone();
        missing.andNot(received);
        List<String> firstMissing = new ArrayList<>();
        for (int i = missing.nextSetBit(0); i >= 0 && firstMissing.size() < 10; i = missing.nextSetBit(i + 1)) {
            firstMissing.add("s-" + i);
        }
        Properties p = new Properties();
        p.setProperty("seconds", String.valueOf(Math.round(seconds)));
        p.setProperty("sent", String.valueOf(sent.get()));
        p.setProperty("confirmed", String.valueOf(confirmed.cardinality()));
        p.setProperty("send_failed", String.valueOf(sendFailed.get()));
        p.setProperty("first_send_failure", firstSendFailure);
        p.setProperty("received", String.valueOf(received.cardinality()));
        p.setProperty("duplicates", String.valueOf(duplicates));
        p.setProperty("confirmed_not_received", String.valueOf(missing.cardinality()));
        p.setProperty("first_missing", String.join(" ", firstMissing));
        try (var w = Files.newBufferedWriter(summaryOf(csv), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            p.store(w, "SoakChild summary");
        }
    }

    static Path summaryOf(Path csv) {
        return csv.resolveSibling(csv.getFileName() + ".summary");
    }
}
