package io.anymq.bench.peer;

import io.anymq.ConfigurationException;
import io.anymq.bench.Bench;
import io.anymq.bench.Workload;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar mq-bench-peer/target/mq-bench-peer.jar URL [options]}: mq bench's workload through anymq, the
 * native client and Spring Cloud Stream, ABBA rounds, one table, the ratios of anymq and of Spring Cloud Stream to the
 * native client. Options (mq bench's names): {@code --rounds N} (2), {@code --warmup-rounds N} (1), {@code --out DIR}
 * ({@code target/bench}), and the workload's {@code --size}, {@code --rate}, {@code --warmup}, {@code --duration},
 * {@code --producers}, {@code --keys}, {@code --max-messages}, {@code --drain-timeout}.
 */
public final class PeerBench {
    /** The peer's name in the ratio line and in the JSON's {@code peerRatios}. */
    public static final String PEER = "spring-cloud-stream";

    private PeerBench() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Bench.Result result = bench(List.of(args)).run();
            System.exit(result.lost() > 0 ? 1 : 0);
        } catch (ConfigurationException e) {
            System.err.println("mq-bench-peer: " + e.getMessage());
            System.err.println("usage: java -jar mq-bench-peer.jar (kafka://HOST:PORT | amqp://[USER:PASS@]HOST:PORT) [--rounds N] "
                    + "[--warmup-rounds N] [--out DIR] [--size BYTES] [--rate MSG/S] [--warmup 2s] [--duration 5s] ...");
            System.exit(2);
        }
    }

    /** The bench the arguments describe: the URL first, then {@code --name value} pairs. */
    static Bench bench(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new ConfigurationException("the broker's URL comes first");
        }
        String url = args.get(0);
        PeerBindings.forUrl(url); // a URL the peer cannot run on fails here, before anything starts
        int rounds = 2;
        int warmupRounds = 1;
        Path out = Path.of("target", "bench");
        Map<String, String> workload = new LinkedHashMap<>();
        workload.put("consumers", "1");
        for (int i = 1; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!name.startsWith("--") || i + 1 >= args.size()) {
                throw new ConfigurationException("expected --name value pairs after the URL, got '" + name + "'");
            }
            String value = args.get(i + 1);
            switch (name) {
                case "--rounds" -> rounds = whole(name, value);
                case "--warmup-rounds" -> warmupRounds = whole(name, value);
                case "--out" -> out = Path.of(value);
                case "--consumers" -> throw new ConfigurationException("the peer bench runs one consumer (one binding, concurrency 1)");
                default -> workload.put(name.substring(2), value);
            }
        }
        Workload w = Workload.defaults().with(workload);
        return new Bench(url, w).withNative(false).peer(PEER, SpringCloudStreamTarget::new)
                .rounds(rounds).warmupRounds(warmupRounds).out(out);
    }

    private static int whole(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be a whole number: '" + value + "'");
        }
    }
}
