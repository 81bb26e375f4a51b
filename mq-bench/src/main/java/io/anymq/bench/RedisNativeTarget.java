package io.anymq.bench;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Plain lettuce doing what the Streams mode does, as a good lettuce user would: pipelined async
 * {@code XADD} of the payload field, and a consumer group member reading with blocking
 * {@code XREADGROUP} batches on its own connection and acking with async {@code XACK}.
 */
final class RedisNativeTarget implements BenchTarget {
    private static final byte[] PAYLOAD = "p".getBytes(StandardCharsets.UTF_8);
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    RedisNativeTarget(String url) {
        this.client = RedisClient.create(url.replaceAll("\\?.*$", ""));
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
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
        RedisAsyncCommands<byte[], byte[]> async = connection.async();
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
        StatefulRedisConnection<byte[], byte[]> own = client.connect(ByteArrayCodec.INSTANCE);
        RedisCommands<byte[], byte[]> sync = own.sync();
        try {
            sync.xgroupCreate(XReadArgs.StreamOffset.from(key, "$"), g, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // fine
        }
        RedisAsyncCommands<byte[], byte[]> acks = connection.async();
        Consumer<byte[]> me = Consumer.from(g, "native".getBytes(StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<StreamMessage<byte[], byte[]>> batch = sync.xreadgroup(me, XReadArgs.Builder.count(256).block(100),
                            XReadArgs.StreamOffset.lastConsumed(key));
                    for (StreamMessage<byte[], byte[]> m : batch) {
                        byte[] p = m.getBody().get(PAYLOAD) != null ? m.getBody().get(PAYLOAD) : firstValue(m.getBody());
                        sink.received(ByteBuffer.wrap(p), false);
                        acks.xack(key, g, m.getId());
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

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
