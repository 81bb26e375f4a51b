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
 * {@code mem:} topic of the compared URL ({@code capacity}), so both sides buffer the same amount. A
 * consumer with concurrency N is N threads taking from the queue. Without fan-out it cannot run a
 * workload of several subscriptions.
 */
final class QueueHandOffTarget implements BenchTarget {
    private final int capacity;
    private final int concurrency;
    private final Map<String, ArrayBlockingQueue<Message>> queues = new ConcurrentHashMap<>();

    QueueHandOffTarget(int capacity, int concurrency) {
        this.capacity = capacity;
        this.concurrency = concurrency;
    }

    @Override
    public boolean runsConcurrency() {
        return true;
    }

    @Override
    public String cannotRun(Workload w) {
        return w.subscriptions() > 1 ? "a queue hand-off has no fan-out (subscriptionsPerTopic " + w.subscriptions() + ")" : null;
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
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(taker(q, sink));
        }
        return () -> {
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                t.join(5000);
            }
        };
    }

    private static Thread taker(ArrayBlockingQueue<Message> q, Sink sink) {
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
        return t;
    }

    @Override
    public void close() {
        queues.clear();
    }
}
