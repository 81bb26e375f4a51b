package io.anymq.bench;

import io.anymq.MqUrl;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Plain lettuce doing what the Streams mode does, as a good lettuce user would: pipelined async
 * {@code XADD} of the payload field, and a consumer group member reading with blocking
 * {@code XREADGROUP} batches on its own connection and acking with async {@code XACK}. On a
 * {@code redis-cluster://} URL the same through lettuce's {@code RedisClusterClient} (a topic's
 * stream lives on the node of its slot).
 */
final class RedisNativeTarget implements BenchTarget {
    private static final byte[] PAYLOAD = "p".getBytes(StandardCharsets.UTF_8);
    private final AbstractRedisClient client;
    private final java.util.function.Supplier<StatefulConnection<byte[], byte[]>> connect;
    private final StatefulConnection<byte[], byte[]> connection;
    /** Deliveries a consumer handles at once: above 1, on a pool of handler threads that ack after the handler. */
    private final int concurrency;

    RedisNativeTarget(String url, int concurrency) {
        this.concurrency = concurrency;
        MqUrl u = MqUrl.parse(url);
        if (u.scheme().endsWith("-cluster")) {
            boolean tls = u.scheme().startsWith("rediss");
            RedisClusterClient cluster = RedisClusterClient.create(u.hosts().stream()
                    .map(h -> RedisURI.builder().withHost(h.host()).withPort(h.portOr(6379)).withSsl(tls).build()).toList());
            this.client = cluster;
            this.connect = () -> cluster.connect(ByteArrayCodec.INSTANCE);
        } else {
            RedisClient single = RedisClient.create(url.replaceAll("\\?.*$", ""));
            this.client = single;
            this.connect = () -> single.connect(ByteArrayCodec.INSTANCE);
        }
        this.connection = connect.get();
    }

    private static RedisStreamAsyncCommands<byte[], byte[]> async(StatefulConnection<byte[], byte[]> c) {
        return c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster ? cluster.async()
                : ((StatefulRedisConnection<byte[], byte[]>) c).async();
    }

    private static RedisStreamCommands<byte[], byte[]> sync(StatefulConnection<byte[], byte[]> c) {
        return c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster ? cluster.sync()
                : ((StatefulRedisConnection<byte[], byte[]>) c).sync();
    }

    @Override
    public boolean runsConcurrency() {
        return true;
    }

    @Override
    public String name() {
        return "lettuce";
    }

    private static byte[] key(String topic) {
        return ("native:{" + topic + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void prepare(List<String> topics) {
        // groups are made by consume(); XADD makes the stream
    }

    @Override
    public Sender sender(String topic) {
        RedisStreamAsyncCommands<byte[], byte[]> async = async(connection);
        byte[] key = key(topic);
        return new Sender() {
            @Override
            public void send(byte[] payload, String k, Confirm confirm) {
                async.xadd(key, Map.of(PAYLOAD, payload)).whenComplete((id, e) -> confirm.done(e));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) {
        byte[] key = key(topic);
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        StatefulConnection<byte[], byte[]> own = connect.get();
        RedisStreamCommands<byte[], byte[]> sync = sync(own);
        try {
            sync.xgroupCreate(XReadArgs.StreamOffset.from(key, "$"), g, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // fine
        }
        RedisStreamAsyncCommands<byte[], byte[]> acks = async(connection);
        Consumer<byte[]> me = Consumer.from(g, "native".getBytes(StandardCharsets.UTF_8));
        Handlers.Pool pool = concurrency > 1 ? new Handlers.Pool(concurrency, "lettuce-handler") : null;
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<StreamMessage<byte[], byte[]>> batch = sync.xreadgroup(me, XReadArgs.Builder.count(256).block(100),
                            XReadArgs.StreamOffset.lastConsumed(key));
                    for (StreamMessage<byte[], byte[]> m : batch) {
                        byte[] p = m.getBody().get(PAYLOAD) != null ? m.getBody().get(PAYLOAD) : firstValue(m.getBody());
                        if (pool == null) {
                            sink.received(ByteBuffer.wrap(p), false);
                            acks.xack(key, g, m.getId());
                        } else {
                            pool.submit(() -> {
                                sink.received(ByteBuffer.wrap(p), false);
                                acks.xack(key, g, m.getId());
                            });
                        }
                    }
                } catch (RuntimeException e) {
                    if (!own.isOpen()) {
                        return;
                    }
                }
            }
        }, "lettuce-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(5000);
            if (pool != null) {
                pool.close();
            }
            own.close();
        };
    }

    /** ByteArrayCodec maps use byte[] keys (identity): find the payload field by content. */
    private static byte[] firstValue(Map<byte[], byte[]> body) {
        for (Map.Entry<byte[], byte[]> e : body.entrySet()) {
            if (java.util.Arrays.equals(e.getKey(), PAYLOAD)) {
                return e.getValue();
            }
        }
        return new byte[0];
    }

    /** {@code UNLINK} of each topic's stream (its groups go with it; freed in the background). */
    @Override
    public void cleanUp(List<String> topics, List<String> groups) throws Exception {
        for (String topic : topics) {
            unlink(connection, key(topic));
        }
    }

    private static void unlink(StatefulConnection<byte[], byte[]> c, byte[] key) throws Exception {
        var keys = c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster ? cluster.async()
                : ((StatefulRedisConnection<byte[], byte[]>) c).async();
        keys.unlink(key).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        connection.close();
        shutdown(client);
    }

    /**
     * Shuts a baseline's lettuce client down waiting at most 10 s, as mq-redis does: lettuce's own {@code shutdown()}
     * can wait for ever (redis/lettuce#2278, open), and a bench must not hang at its end.
     */
    static void shutdown(AbstractRedisClient client) {
        try {
            client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            System.err.println("the lettuce baseline's client did not shut down within 10 s: " + e);
        }
    }
}
