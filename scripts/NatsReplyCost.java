// What a reply subject costs jnats alone (no anymq): 100-byte messages published on core NATS and received by a
// dispatcher in a queue group that reads the reply subject, with no reply subject, with a fixed one of 16, 27
// (`_mq.` and a 22-character compact ULID would be 26) and 36 characters, and with one made per message as anymq makes
// it: `_mq.<ULID>` (30 characters, anymq since 2026-12-01) and `_anymq.id.<ULID>` (36, before). Throughput over 5 s
// after 2 s of warm-up, each configuration on fresh connections, the producer kept within 200,000 messages of the
// consumer. Run (single-file source, the client jar of mq-cli's shaded jar):
//   java -cp mq-cli/target/mq.jar scripts/NatsReplyCost.java nats://127.0.0.1:4222 [rounds]

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

public class NatsReplyCost {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** The prefix and a ULID of now and the count, as anymq formats a generated id. */
    static String ulid(String prefix, long count) {
        int p = prefix.length();
        char[] out = new char[p + 26];
        prefix.getChars(0, p, out, 0);
        long t = System.currentTimeMillis();
        for (int i = p + 9; i >= p; i--, t >>>= 5) {
            out[i] = CROCKFORD[(int) (t & 31)];
        }
        for (int i = p + 25; i >= p + 10; i--, count >>>= 5) {
            out[i] = CROCKFORD[(int) (count & 31)];
        }
        return new String(out);
    }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        String fixed = "_anymq.id.01ARZ3NDEKTSV4RRFFQ69G5FAV";
        String[] names = {"none", "fixed-16", "fixed-27", "fixed-36", "_mq.<ULID>", "_anymq.id.<ULID>"};
        for (int round = 0; round < rounds; round++) {
            for (String name : names) {
                LongFunction<String> reply = switch (name) {
                    case "none" -> n -> null;
                    case "fixed-16" -> n -> fixed.substring(0, 16);
                    case "fixed-27" -> n -> fixed.substring(0, 27);
                    case "fixed-36" -> n -> fixed;
                    case "_mq.<ULID>" -> n -> ulid("_mq.", n);
                    default -> n -> ulid("_anymq.id.", n);
                };
                System.out.printf("round %d %-18s %,12.0f msg/s%n", round, name, run(url, "replycost" + round + "x" + name.length(), reply));
            }
        }
    }

    private static double run(String url, String subject, LongFunction<String> reply) throws Exception {
        try (Connection pub = Nats.connect(url); Connection sub = Nats.connect(url)) {
            AtomicLong got = new AtomicLong();
            Dispatcher d = sub.createDispatcher(m -> {
                m.getReplyTo();
                got.incrementAndGet();
            });
            d.subscribe(subject, "g");
            sub.flush(Duration.ofSeconds(5));
            byte[] payload = new byte[100];
            long start = System.nanoTime();
            long measureFrom = start + 2_000_000_000L;
            long end = measureFrom + 5_000_000_000L;
            long fromCount = -1;
            long n = 0;
            while (System.nanoTime() < end) {
                if (fromCount < 0 && System.nanoTime() >= measureFrom) {
                    fromCount = got.get();
                }
                for (int i = 0; i < 1000; i++) {
                    pub.publish(subject, reply.apply(n++), payload);
                }
                long waitFrom = System.nanoTime();
                while (pub.getStatistics().getOutMsgs() - got.get() > 200_000) {
                    Thread.onSpinWait();
                    if (System.nanoTime() - waitFrom > 2_000_000_000L) {
                        throw new IllegalStateException("the consumer fell behind by 200,000 for 2 s (a slow consumer the server cut off?)");
                    }
                }
            }
            double seconds = (System.nanoTime() - measureFrom) / 1e9;
            return (got.get() - fromCount) / seconds;
        }
    }
}
