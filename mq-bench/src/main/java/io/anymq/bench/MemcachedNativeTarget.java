package io.anymq.bench;

import io.anymq.MqUrl;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.transcoders.CachedData;
import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain xmemcached doing the claims the module does for one group, as a careful xmemcached user
 * would write a queue on memcached: a send is {@code incr} on the tail and {@code set} of the item; the
 * consumer reads tail and head, takes up to 256 fresh numbers with one {@code incr} on the head, claims
 * each with {@code add} of a lease item (expiry 30 s), reads the items with one multi-get (an item not
 * stored yet is read again on the next turn; with several members a number may be handed out before its send:
 * it is read until it comes), and acks by {@code set} of the claim to done. When idle it sleeps 1 ms. No envelope, no nack, no delivery count,
 * no redelivery scan, no low mark: those are what the SDK adds.
 */
final class MemcachedNativeTarget implements BenchTarget {
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Transcoder<byte[]> RAW = (Transcoder) new Raw();
    private final MemcachedClient client;

    MemcachedNativeTarget(String url) throws Exception {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (MqUrl.HostPort hp : MqUrl.parse(url).hosts()) {
            servers.add(new InetSocketAddress(hp.host(), hp.portOr(11211)));
        }
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(servers);
        builder.setTranscoder(new Raw());
        // the socket buffers left to the kernel, as mq-memcached does: xmemcached's fixed 32 KiB send buffer makes every
        // command over about 64 KiB wait 44 ms for a delayed acknowledgement (a setting, not the client's code)
        builder.getSocketOptions().remove(com.google.code.yanf4j.core.impl.StandardSocketOption.SO_SNDBUF);
        builder.getSocketOptions().remove(com.google.code.yanf4j.core.impl.StandardSocketOption.SO_RCVBUF);
        this.client = builder.build();
    }

    @Override
    public String cannotRun(Workload w) {
        return w.subscriptions() > 1 ? "its claims are written for one group (subscriptionsPerTopic " + w.subscriptions() + ")" : null;
    }

    @Override
    public String name() {
        return "xmemcached";
    }

    private static String key(String topic, String part) {
        return "native:" + topic + ":" + part;
    }

    @Override
    public void prepare(List<String> topics) {
        // counters are made by the first incr
    }

    @Override
    public Sender sender(String topic) {
        String tail = key(topic, "tail");
        return new Sender() {
            @Override
            public void send(byte[] payload, String k, Confirm confirm) {
                try {
                    long n = client.incr(tail, 1, 1);
                    client.set(key(topic, Long.toString(n)), 0, payload, RAW);
                    confirm.done(null);
                } catch (Exception e) {
                    confirm.done(e);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        String tail = key(topic, "tail");
        String head = key(topic, group + ":head");
        byte[] start = client.get(tail, RAW);
        client.add(head, 0, start == null ? "0".getBytes(StandardCharsets.US_ASCII) : start, RAW);
        Thread t = new Thread(() -> {
            List<String> waiting = new ArrayList<>(); // claimed numbers whose item was not stored yet (a send under way)
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Map<String, byte[]> cursors = client.get(List.of(tail, head), RAW);
                    long last = number(cursors.get(tail));
                    long from = number(cursors.get(head));
                    if (from >= last && waiting.isEmpty()) {
                        Thread.sleep(1);
                        continue;
                    }
                    List<String> items = new ArrayList<>(waiting);
                    waiting.clear();
                    if (from < last) {
                        // every number the incr hands out is this member's, also those past the tail read above
                        // (other members' incrs ran in between): their items are read until their sends store them
                        long k = Math.min(256, last - from);
                        long to = client.incr(head, k, 0);
                        for (long n = to - k + 1; n <= to; n++) {
                            if (client.add(key(topic, group + ":" + n), 30, "L".getBytes(StandardCharsets.US_ASCII), RAW)) {
                                items.add(key(topic, Long.toString(n)));
                            }
                        }
                    }
                    Map<String, byte[]> values = client.get(items, RAW);
                    if (values.isEmpty()) {
                        Thread.sleep(1); // only numbers whose sends are still under way (or not made yet)
                    }
                    for (String item : items) {
                        byte[] v = values.get(item);
                        if (v == null) {
                            waiting.add(item);
                        } else {
                            sink.received(ByteBuffer.wrap(v), false);
                            client.set(key(topic, group + ":" + item.substring(item.lastIndexOf(':') + 1)), 0,
                                    "A".getBytes(StandardCharsets.US_ASCII), RAW);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (client.isShutdown()) {
                        return;
                    }
                }
            }
        }, "xmemcached-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(5000);
        };
    }

    private static long number(byte[] v) {
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII).strip());
    }

    @Override
    public void close() throws Exception {
        client.shutdown();
    }

    /** Bytes as they are, anything else as ASCII text (the initial value of a counter), flags 0. */
    private static final class Raw implements Transcoder<Object> {
        @Override
        public CachedData encode(Object o) {
            return o instanceof byte[] b ? new CachedData(0, b) : new CachedData(0, String.valueOf(o).getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public Object decode(CachedData d) {
            return d.getData();
        }

        @Override
        public void setPrimitiveAsString(boolean b) {
        }

        @Override
        public void setPackZeros(boolean b) {
        }

        @Override
        public void setCompressionThreshold(int i) {
        }

        @Override
        public boolean isPrimitiveAsString() {
            return true;
        }

        @Override
        public boolean isPackZeros() {
            return false;
        }

        @Override
        public void setCompressionMode(CompressionMode m) {
        }
    }
}
