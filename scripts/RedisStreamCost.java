// What the Streams mode's semantics cost Redis, without any anymq code: plain lettuce against lettuce running the same
// Redis commands per message as anymq's Streams mode (issue #25). Variants, each sending and receiving N 100-byte messages
// (1 producer with at most 1,024 unconfirmed XADDs, 1 group member):
//   plain  XADD {p}, XREADGROUP COUNT 256, one async XACK per message (mq bench's lettuce baseline)
//   same   XADD {p, i: a 26-character id} (anymq's fields for Message.of), XREADGROUP COUNT 256, and the settlements
//          through mq-redis' stream-settle.lua (EVALSHA, up to 256 per call, up to 4 calls in flight, as the driver)
// For each variant: messages/s, process CPU per message, and the server's INFO commandstats per message
// (CONFIG RESETSTAT before the variant). Rounds in AB/BA order.
// Run (single-file source, from the repository root, after a build of mq-cli):
//   java -cp mq-cli/target/mq.jar scripts/RedisStreamCost.java redis://127.0.0.1:PORT 300000 [rounds]

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class RedisStreamCost {
    static final byte[] P = b("p"), I = b("i"), ACK = b("ack"), NONE = new byte[0];

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        int n = Integer.parseInt(a[1]);
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 2;
        String script = Files.readString(Path.of("mq-redis/src/main/resources/io/anymq/redis/common.lua"))
                + Files.readString(Path.of("mq-redis/src/main/resources/io/anymq/redis/stream-settle.lua"));
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> admin = client.connect(StringCodec.UTF8)) {
            String sha = admin.sync().scriptLoad(script);
            for (int round = 0; round < rounds; round++) {
                for (String v : round % 2 == 0 ? new String[]{"plain", "same"} : new String[]{"same", "plain"}) {
                    admin.sync().configResetstat();
                    long t0 = System.nanoTime();
                    long cpu = run(client, v, sha, "cost:{" + v + round + "}", n);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("round %d %-5s %,8.0f msg/s  cpu %.2f us/msg  %s%n", round, v, n / s, cpu / 1e3 / n,
                            perMessage(admin.sync().info("commandstats"), n));
                    admin.sync().unlink("cost:{" + v + round + "}");
                }
            }
        }
        client.shutdown();
    }

    /** Sends and receives n messages; returns the process CPU time in ns. */
    static long run(RedisClient client, String variant, String sha, String stream, int n) throws Exception {
        byte[] key = b(stream), group = b("g"), member = b("m1");
        boolean same = variant.equals("same");
        try (StatefulRedisConnection<byte[], byte[]> shared = client.connect(ByteArrayCodec.INSTANCE);
             StatefulRedisConnection<byte[], byte[]> blocking = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisAsyncCommands<byte[], byte[]> async = shared.async();
            blocking.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "$"), group, XGroupCreateArgs.Builder.mkstream());
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime();
            AtomicLong settled = new AtomicLong();
            Semaphore settleCalls = new Semaphore(4);
            Thread consumer = new Thread(() -> {
                Consumer<byte[]> me = Consumer.from(group, member);
                long received = 0;
                while (received < n) {
                    List<StreamMessage<byte[], byte[]>> batch = blocking.sync().xreadgroup(me, XReadArgs.Builder.count(256).block(100),
                            XReadArgs.StreamOffset.lastConsumed(key));
                    received += batch.size();
                    if (!same) {
                        for (StreamMessage<byte[], byte[]> m : batch) {
                            async.xack(key, group, m.getId()).thenRun(settled::incrementAndGet);
                        }
                    } else if (!batch.isEmpty()) {
                        // stream-settle.lua's arguments: group, member, lowest id, highest id, range limit, then per
                        // settlement op, id, delivery count, nack time
                        byte[][] args = new byte[5 + 4 * batch.size()][];
                        args[0] = group;
                        args[1] = member;
                        args[2] = b(batch.get(0).getId());
                        args[3] = b(batch.get(batch.size() - 1).getId());
                        args[4] = b("2048");
                        int i = 5;
                        for (StreamMessage<byte[], byte[]> m : batch) {
                            args[i++] = ACK;
                            args[i++] = b(m.getId());
                            args[i++] = b("1");
                            args[i++] = NONE;
                        }
                        settleCalls.acquireUninterruptibly();
                        int size = batch.size();
                        RedisFuture<List<Object>> f = async.evalsha(sha, ScriptOutputType.MULTI, new byte[][]{key}, args);
                        f.thenRun(() -> {
                            settled.addAndGet(size);
                            settleCalls.release();
                        });
                    }
                }
            });
            consumer.start();
            Semaphore window = new Semaphore(1024);
            byte[] payload = new byte[100];
            for (int k = 0; k < n; k++) {
                window.acquire();
                Map<byte[], byte[]> fields = new LinkedHashMap<>(4);
                fields.put(P, payload);
                if (same) {
                    fields.put(I, b(String.format("01JDZ%021d", k)));
                }
                async.xadd(key, fields).thenRun(window::release);
            }
            consumer.join();
            while (settled.get() < n) {
                Thread.sleep(1);
            }
            return os.getProcessCpuTime() - c0;
        }
    }

    /** INFO commandstats as calls per message and µs per call of each command. */
    static String perMessage(String info, int n) {
        List<String> out = new ArrayList<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring(8, line.indexOf(':'));
            Map<String, String> f = new LinkedHashMap<>();
            for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] p = kv.split("=");
                f.put(p[0], p[1]);
            }
            long calls = Long.parseLong(f.get("calls"));
            if (name.equals("config") || name.equals("info") || name.equals("xgroup") || name.equals("script")) {
                continue;
            }
            out.add(String.format("%s %.3f/msg %.2fus/call (%.2fus/msg)", name, (double) calls / n, Double.parseDouble(f.get("usec_per_call")),
                    Double.parseDouble(f.get("usec")) / n));
        }
        return String.join("; ", out);
    }
}
