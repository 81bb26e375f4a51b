package io.anymq.bench;

import io.anymq.Capability;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MqUrl;
import io.anymq.UnsupportedCapabilityException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The cost of a transaction: one thread commits transactions of N sends, back to back, for the
 * duration; through anymq ({@code client.inTransaction}) and, for Kafka, through kafka-clients' own
 * transactional producer (begin, N sends, commit), in alternating rounds. Reports transactions per
 * second and the commit latency (p50, p99) per side and size, and the ratios.
 */
public final class TransactionBench {

    /** One measured round of one side at one size. */
    public record Round(String side, int size, long transactions, double perSecond, long p50Micros, long p99Micros) {
    }

    /** The loop a side runs: one transaction of {@code size} sends, to return when committed. */
    private interface Side extends AutoCloseable {
        String name();

        void commitOne(int size, byte[] payload) throws Exception;

        @Override
        void close();
    }

    private final String url;
    private int[] sizes = {1, 10, 100};
    private Duration warmup = Duration.ofSeconds(2);
    private Duration duration = Duration.ofSeconds(10);
    private int rounds = 2;
    private int payloadBytes = 100;
    private boolean withNative;
    private PrintStream out = System.out;

    public TransactionBench(String url) {
        this.url = url;
    }

    public TransactionBench sizes(int... sizes) {
        this.sizes = sizes.clone();
        return this;
    }

    public TransactionBench warmup(Duration warmup) {
        this.warmup = warmup;
        return this;
    }

    public TransactionBench duration(Duration duration) {
        this.duration = duration;
        return this;
    }

    public TransactionBench rounds(int rounds) {
        this.rounds = Math.max(1, rounds);
        return this;
    }

    public TransactionBench payloadBytes(int payloadBytes) {
        this.payloadBytes = payloadBytes;
        return this;
    }

    public TransactionBench withNative() {
        this.withNative = true;
        return this;
    }

    public TransactionBench printTo(PrintStream out) {
        this.out = out;
        return this;
    }

    public List<Round> run() throws Exception {
        String topic = "bench-tx-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] payload = Payloads.filler(payloadBytes);
        List<Round> results = new ArrayList<>();
        try (Side sdk = new SdkSide(url, topic); Side nat = withNative ? nativeSide(url, topic) : null) {
            for (int size : sizes) {
                measure(sdk, size, payload, warmup); // warm-up of each side, not reported
                if (nat != null) {
                    measure(nat, size, payload, warmup);
                }
                for (int r = 0; r < rounds; r++) {
                    // ABBA: the side that goes first alternates, so a drift of the machine falls on both
                    List<Side> order = nat == null ? List.of(sdk) : (r % 2 == 0 ? List.of(sdk, nat) : List.of(nat, sdk));
                    for (Side s : order) {
                        Round round = measure(s, size, payload, duration);
                        results.add(round);
                        out.printf("tx size %3d  %-16s %8.1f tx/s  p50 %7d µs  p99 %7d µs  (%d transactions)%n", size, s.name(),
                                round.perSecond(), round.p50Micros(), round.p99Micros(), round.transactions());
                    }
                }
            }
        }
        if (withNative) {
            printRatios(results);
        }
        return results;
    }

    private void printRatios(List<Round> results) {
        out.println("size  throughput (anymq/native)  p50 (anymq/native)  p99 (anymq/native)");
        for (int size : sizes) {
            List<Round> a = results.stream().filter(r -> r.size() == size && r.side().equals("anymq")).toList();
            List<Round> n = results.stream().filter(r -> r.size() == size && !r.side().equals("anymq")).toList();
            out.printf("%4d  %26.2f  %18.2f  %18.2f%n", size, median(a, Round::perSecond) / median(n, Round::perSecond),
                    median(a, r -> r.p50Micros()) / median(n, r -> r.p50Micros()),
                    median(a, r -> r.p99Micros()) / median(n, r -> r.p99Micros()));
        }
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Round measure(Side side, int size, byte[] payload, Duration time) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            side.commitOne(size, payload);
            latencies.add((System.nanoTime() - t0) / 1000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Round(side.name(), size, sorted.length, sorted.length / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static Side nativeSide(String url, String topic) {
        String scheme = MqUrl.parse(url).scheme();
        if (scheme.equals("kafka")) {
            return new KafkaSide(url, topic);
        }
        throw new IllegalArgumentException("no native transaction baseline for " + scheme + ": run without --native");
    }

    /** anymq: {@code client.inTransaction} with N sends. */
    private static final class SdkSide implements Side {
        private final MessagingClient client;
        private final String topic;

        SdkSide(String url, String topic) {
            this.client = Messaging.connect(url);
            if (!client.capabilities().has(Capability.TRANSACTIONS)) {
                client.close();
                throw new UnsupportedCapabilityException(Capability.TRANSACTIONS, client.provider(), "mq bench --transactions");
            }
            this.topic = topic;
        }

        @Override
        public String name() {
            return "anymq";
        }

        @Override
        public void commitOne(int size, byte[] payload) {
            client.inTransaction(tx -> {
                for (int i = 0; i < size; i++) {
                    tx.send(topic, Message.of(payload));
                }
                return null;
            });
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** kafka-clients: a transactional producer, begin, N sends, commit (what a good Kafka user writes). */
    private static final class KafkaSide implements Side {
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;

        KafkaSide(String url, String topic) {
            String servers = MqUrl.parse(url).hosts().stream().map(h -> h.host() + ":" + h.portOr(9092)).collect(Collectors.joining(","));
            this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers, "acks", "all", "enable.idempotence", true,
                    "transactional.id", "bench-native-tx-" + UUID.randomUUID()), new StringSerializer(), new ByteArraySerializer());
            producer.initTransactions();
            this.topic = topic;
        }

        @Override
        public String name() {
            return "kafka-clients";
        }

        @Override
        public void commitOne(int size, byte[] payload) {
            producer.beginTransaction();
            for (int i = 0; i < size; i++) {
                producer.send(new ProducerRecord<>(topic, payload));
            }
            producer.commitTransaction();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public String toString() {
        return "TransactionBench{" + url + ", sizes=" + Arrays.toString(sizes) + "}";
    }
}
