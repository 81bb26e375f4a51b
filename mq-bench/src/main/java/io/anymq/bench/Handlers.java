package io.anymq.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The workload's consumer handler: its delay, and its concurrency where a target does not run that itself. */
final class Handlers {
    private Handlers() {
    }

    /** The sink behind a handler that takes {@code delay} (a sleep) before it returns. */
    static BenchTarget.Sink delayed(BenchTarget.Sink sink, Duration delay) {
        if (delay.isZero()) {
            return sink;
        }
        long nanos = delay.toNanos();
        return (payload, redelivered) -> {
            sink.received(payload, redelivered);
            sleep(nanos);
        };
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One consumer of the target. With concurrency above 1 on a target that does not run it itself, the
     * target's delivery thread hands each message to a pool of that many handler threads, waiting while all
     * are busy; the target acks a message when its sink call returns, that is once it is handed over.
     */
    static AutoCloseable consume(BenchTarget target, String topic, String group, BenchTarget.Sink sink, int concurrency)
            throws Exception {
        if (concurrency == 1 || target.runsConcurrency()) {
            return target.consume(topic, group, sink);
        }
        Pool pool = new Pool(concurrency, "bench-handler");
        AutoCloseable consumer = target.consume(topic, group, (payload, redelivered) -> {
            // the header only: the client may reuse the payload's buffer once this call returns
            ByteBuffer header = ByteBuffer.allocate(Payloads.HEADER_BYTES)
                    .putLong(0, Payloads.sequence(payload)).putLong(8, Payloads.intendedNanos(payload));
            pool.submit(() -> sink.received(header, redelivered));
        });
        return () -> {
            consumer.close();
            pool.close();
        };
    }

    /**
     * Handler threads for a baseline that runs a consumer's concurrency itself: its delivery thread submits
     * "handle, then ack" and waits while all threads are busy, as an application of that client would.
     */
    static final class Pool implements AutoCloseable {
        private final ExecutorService threads;
        private final Semaphore free;

        Pool(int size, String name) {
            AtomicInteger n = new AtomicInteger();
            this.threads = Executors.newFixedThreadPool(size, r -> {
                Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.free = new Semaphore(size);
        }

        /** Runs the task on a free handler thread, waiting for one; returns at once when interrupted. */
        void submit(Runnable task) {
            try {
                free.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                threads.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        free.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                free.release(); // the consumer is closing: the message stays unacked, and the broker redelivers it
            }
        }

        @Override
        public void close() throws InterruptedException {
            threads.shutdown();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The report's line for a target that does not run the concurrency itself. */
    static String handOffNote(Workload w) {
        return "consumerConcurrency " + w.concurrency() + ": the native client's delivery thread hands each message to a pool of "
                + w.concurrency() + " handler threads and acks it when handed over (before the handler ran); anymq acks after the handler returned";
    }
}
