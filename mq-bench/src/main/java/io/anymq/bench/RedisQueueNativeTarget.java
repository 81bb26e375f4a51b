package io.anymq.bench;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain lettuce doing what the List and Sorted Set modes do for one group, as a good lettuce user
 * would write a reliable queue. List: pipelined {@code LPUSH}; the consumer moves messages into an
 * in-flight list ({@code BLMOVE} for the first, then up to 255 pipelined {@code LMOVE}s) and acks
 * with {@code LREM}. Sorted Set: pipelined {@code ZADD} scored by the due time; the consumer claims
 * due members into an in-flight set scored by their deadline with one script, and acks with
 * {@code ZREM}. No envelope, no fan-out registry, no delivery counts: those are what the SDK adds.
 */
final class RedisQueueNativeTarget implements BenchTarget {
    private static final String CLAIM = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
            for _, m in ipairs(due) do
              redis.call('ZREM', KEYS[1], m)
              redis.call('ZADD', KEYS[2], ARGV[3], m)
            end
            return due
            """;
    private final boolean zset;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    RedisQueueNativeTarget(String url, boolean zset) {
        this.zset = zset;
        this.client = RedisClient.create(url.replaceAll("\\?.*$", ""));
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public String cannotRun(Workload w) {
        return w.subscriptions() > 1 ? "its claims are written for one group (subscriptionsPerTopic " + w.subscriptions() + ")" : null;
    }

    @Override
    public String name() {
        return zset ? "lettuce-zset" : "lettuce-list";
    }

    private static byte[] key(String topic, String part) {
        return ("native:{" + topic + "}:" + part).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void prepare(List<String> topics) {
        // the keys are made by the first write
    }

    @Override
    public Sender sender(String topic) {
        RedisAsyncCommands<byte[], byte[]> async = connection.async();
        byte[] ready = key(topic, "ready");
        return new Sender() {
            @Override
            public void send(byte[] payload, String k, Confirm confirm) {
                RedisFuture<Long> f = zset ? async.zadd(ready, (double) System.currentTimeMillis(), payload) : async.lpush(ready, payload);
                f.whenComplete((n, e) -> confirm.done(e));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) {
        byte[] ready = key(topic, "ready");
        byte[] inFlight = key(topic, "in-flight:" + group);
        StatefulRedisConnection<byte[], byte[]> own = client.connect(ByteArrayCodec.INSTANCE);
        RedisCommands<byte[], byte[]> sync = own.sync();
        RedisAsyncCommands<byte[], byte[]> pipelined = own.async();
        RedisAsyncCommands<byte[], byte[]> acks = connection.async();
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<byte[]> batch = zset ? claim(sync, ready, inFlight) : take(sync, pipelined, ready, inFlight);
                    for (byte[] m : batch) {
                        sink.received(ByteBuffer.wrap(m), false);
                        if (zset) {
                            acks.zrem(inFlight, m);
                        } else {
                            acks.lrem(inFlight, 1, m);
                        }
                    }
                    if (zset && batch.isEmpty()) {
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!own.isOpen()) {
                        return;
                    }
                }
            }
        }, name() + "-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(5000);
            own.close();
        };
    }

    private static List<byte[]> take(RedisCommands<byte[], byte[]> sync, RedisAsyncCommands<byte[], byte[]> pipelined, byte[] ready,
                                     byte[] inFlight) throws InterruptedException {
        byte[] first = sync.blmove(ready, inFlight, LMoveArgs.Builder.rightLeft(), 0.1);
        if (first == null) {
            return List.of();
        }
        List<RedisFuture<byte[]>> more = new ArrayList<>(255);
        for (int i = 0; i < 255; i++) {
            more.add(pipelined.lmove(ready, inFlight, LMoveArgs.Builder.rightLeft()));
        }
        List<byte[]> out = new ArrayList<>(256);
        out.add(first);
        for (RedisFuture<byte[]> f : more) {
            try {
                byte[] v = f.get();
                if (v != null) {
                    out.add(v);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    private static List<byte[]> claim(RedisCommands<byte[], byte[]> sync, byte[] ready, byte[] inFlight) {
        long now = System.currentTimeMillis();
        byte[][] keys = {ready, inFlight};
        List<byte[]> due = sync.eval(CLAIM, ScriptOutputType.MULTI, keys, Long.toString(now).getBytes(StandardCharsets.UTF_8),
                "256".getBytes(StandardCharsets.UTF_8), Long.toString(now + 30_000).getBytes(StandardCharsets.UTF_8));
        return due == null ? List.of() : due;
    }

    /** {@code UNLINK} of each topic's keys (the ready list or set and the group's in-flight one). */
    @Override
    public void cleanUp(List<String> topics, List<String> groups) throws Exception {
        for (String topic : topics) {
            connection.async().unlink(key(topic, "ready")).get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (String group : groups) {
                connection.async().unlink(key(topic, "in-flight:" + group)).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        connection.close();
        RedisNativeTarget.shutdown(client);
    }
}
