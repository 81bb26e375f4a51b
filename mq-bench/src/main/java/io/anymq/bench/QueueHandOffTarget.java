package io.anymq.bench;

import io.anymq.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The baseline for {@code mem:}: a JDK {@link ArrayBlockingQueue} hand-off of the same messages
 * between the same threads. It has no acknowledgement, no redelivery and no fan-out; anymq's
 * {@code mem:} has all of them, so parity is the target. The queue holds as many messages as a
 * {@code mem:} topic of the compared URL ({@code capacity}), so both sides buffer the same amount.
 */
final class QueueHandOffTarget implements BenchTarget {
    private final int capacity;
    private final Map<String, ArrayBlockingQueue<Message>> queues = new ConcurrentHashMap<>();

    QueueHandOffTarget(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "ArrayBlockingQueue";
    }

    @Override
    public void prepare(List<String> topics) {
        topics.forEach(t -> queues.put(t, new ArrayBlockingQueue<>(capacity)));
    }

    @Override
    public Sender sender(String topic) {
        ArrayBlockingQueue<Message> q = queues.get(topic);
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) throws InterruptedException {
                q.put(Message.builder().payload(payload).key(key).build());
                confirm.done(null);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) {
        ArrayBlockingQueue<Message> q = queues.get(topic);
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Message m = q.poll(100, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        sink.received(m.payloadBuffer(), false);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abq-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(5000);
        };
    }

    @Override
    public void close() {
        queues.clear();
    }
}
