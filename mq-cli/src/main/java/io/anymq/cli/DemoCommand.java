package io.anymq.cli;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mq demo}: producers and consumers of one group through the API, with progress, then a
 * summary of throughput, end-to-end latency and redeliveries. Where the backend can redeliver, 1% of
 * first deliveries are nacked to show it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run producers and consumers through the API (default: on the in-memory mem:) and summarize.")
final class DemoCommand implements Callable<Integer> {
    private static final int HEADER_BYTES = 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", description = "the backend (default: ${DEFAULT-VALUE})")
    String url = "mem:";

    @Option(names = {"-n", "--messages"}, description = "messages in all (default: ${DEFAULT-VALUE})")
    int messages = 1_000_000;

    @Option(names = {"-p", "--producers"}, description = "producer threads (default: ${DEFAULT-VALUE})")
    int producers = 2;

    @Option(names = {"-c", "--consumers"}, description = "consumers in the group (default: ${DEFAULT-VALUE})")
    int consumers = 2;

    @Option(names = {"-s", "--size"}, description = "payload bytes, at least 16 (default: ${DEFAULT-VALUE})")
    int size = 100;

    @Option(names = "--timeout", description = "give up when nothing arrived for this long (default: ${DEFAULT-VALUE})")
    String timeout = "10s";

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || producers < 1 || consumers < 1 || size < HEADER_BYTES) {
            throw new Main.UsageError("--messages, --producers and --consumers must be at least 1, --size at least " + HEADER_BYTES);
        }
        Duration idleLimit = Durations.parse("--timeout", timeout);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String topic = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        BitSet seen = new BitSet(messages);
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong redeliveries = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        Recorder latency = new Recorder(3);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long start;
        long end;

        try (MessagingClient client = Messaging.connect(url)) {
            boolean nacks = client.capabilities().has(Capability.NACK_REDELIVERY) && client.capabilities().has(Capability.DELIVERY_COUNT);
            ConsumerOptions options = ConsumerOptions.builder(topic, "demo")
                    .startPosition(client.capabilities().has(Capability.REPLAY_FROM_EARLIEST) ? StartPosition.EARLIEST : StartPosition.LATEST)
                    .build();
            err.printf("demo on %s: %,d messages of %d bytes, %d producer(s), %d consumer(s) in group 'demo' of topic '%s'%s%n",
                    client.provider(), messages, size, producers, consumers, topic, nacks ? "; 1% nacked once" : "");
            List<Consumer> members = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                members.add(client.consumer(options));
            }
            for (Consumer consumer : members) {
                threads.add(start(() -> consume(consumer, nacks, seen, received, redeliveries, duplicates, latency, stop), "demo-consumer"));
            }
            start = System.nanoTime();
            try (Producer producer = client.producer(topic)) {
                for (int p = 0; p < producers; p++) {
                    int first = p;
                    threads.add(start(() -> produce(producer, first, producers, messages, size, sent), "demo-producer"));
                }
                long lastReceived = -1;
                long lastProgress = System.nanoTime();
                long nextReport = System.nanoTime() + 1_000_000_000L;
                while (true) {
                    Thread.sleep(10);
                    synchronized (seen) {
                        if (seen.cardinality() >= messages) {
                            break;
                        }
                    }
                    if (System.nanoTime() < nextReport) {
                        continue;
                    }
                    nextReport += 1_000_000_000L;
                    long r = received.get();
                    double secs = (System.nanoTime() - start) / 1e9;
                    err.printf("  %5.1f s  sent %,12d  received %,12d  (%,.0f msg/s)%n", secs, sent.get(), r, r / secs);
                    err.flush();
                    if (r != lastReceived) {
                        lastReceived = r;
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > idleLimit.toNanos()) {
                        err.printf("  nothing arrived for %s; stopping%n", timeout);
                        break;
                    }
                }
            }
            end = System.nanoTime();
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        Histogram h = latency.getIntervalHistogram();
        int distinct;
        synchronized (seen) {
            distinct = seen.cardinality();
        }
        double secs = (end - start) / 1e9;
        out.println("summary");
        out.printf("  messages sent      %,d%n", sent.get());
        out.printf("  messages received  %,d distinct (%,d deliveries)%n", distinct, received.get());
        out.printf("  throughput         %,.0f msg/s received over %.2f s%n", distinct / secs, secs);
        out.printf("  end-to-end latency p50 %s  p99 %s  max %s%n", micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()));
        out.printf("  redeliveries       %,d%n", redeliveries.get());
        out.printf("  duplicates         %,d%n", duplicates.get());
        out.printf("  lost               %,d%n", messages - distinct);
        return distinct == messages ? 0 : Main.FAILED;
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.0f us", nanos / 1e3);
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void produce(Producer producer, int first, int step, int messages, int size, AtomicLong sent) {
        for (long seq = first; seq < messages; seq += step) {
            ByteBuffer payload = ByteBuffer.allocate(size);
            payload.putLong(seq).putLong(System.nanoTime());
            producer.send(Message.builder().payload(payload.array()).key("k" + (seq % 64)).build());
            sent.incrementAndGet();
        }
        producer.flush();
    }

    private static void consume(Consumer consumer, boolean nacks, BitSet seen, AtomicLong received, AtomicLong redeliveries,
                                AtomicLong duplicates, Recorder latency, AtomicBoolean stop) {
        try (consumer) {
            while (!stop.get()) {
                for (Delivery d : consumer.receive(256, Duration.ofMillis(100))) {
                    ByteBuffer b = d.message().payloadBuffer();
                    long seq = b.getLong();
                    long sentNanos = b.getLong();
                    received.incrementAndGet();
                    if (nacks && d.deliveryCount() > 1) {
                        redeliveries.incrementAndGet();
                    } else if (nacks && seq % 100 == 7) {
                        d.nack(Duration.ZERO);
                        continue;
                    }
                    latency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
                    boolean duplicate;
                    synchronized (seen) {
                        duplicate = seen.get((int) seq);
                        seen.set((int) seq);
                    }
                    if (duplicate) {
                        duplicates.incrementAndGet();
                    }
                    d.ack();
                }
            }
        }
    }
}
