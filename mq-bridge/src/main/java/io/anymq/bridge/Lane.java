package io.anymq.bridge;

import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One lane: a thread that takes the deliveries of its keys in order, sends up to {@code window} of
 * them at once, and settles each in order (ack after the confirm). With a window of 1 a lane has
 * one send under way at a time, so its keys keep their order even through retries. Its queue is
 * bounded by the consumer's in-flight limit.
 */
final class Lane {
    private final Pump pump;
    private final int window;
    private final BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean busy;
    private volatile boolean finishing;

    Lane(Pump pump, int index, int window) {
        this.pump = pump;
        this.window = window;
        this.thread = new Thread(this::run, "bridge-lane-" + index);
    }

    void start() {
        thread.start();
    }

    void offer(Delivery d) {
        queue.add(d);
    }

    boolean idle() {
        return !busy && queue.isEmpty();
    }

    /** Sends what is queued, then ends. */
    void finish() {
        finishing = true;
    }

    void interrupt() {
        thread.interrupt();
    }

    void join() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Delivery> batch = new ArrayList<>(Math.min(window, 1024));
        List<Message> copies = new ArrayList<>(Math.min(window, 1024));
        List<CompletableFuture<Receipt>> sends = new ArrayList<>(Math.min(window, 1024));
        while (!pump.aborted()) {
            Delivery first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // close() interrupts only to abort; the loop condition says so
            }
            if (first == null) {
                if (finishing) {
                    return;
                }
                continue;
            }
            busy = true;
            try {
                batch.clear();
                copies.clear();
                sends.clear();
                batch.add(first);
                if (window > 1) {
                    queue.drainTo(batch, window - 1);
                }
                for (Delivery d : batch) {
                    Message copy = Pump.copyOf(d.message());
                    copies.add(copy);
                    sends.add(pump.send(copy));
                }
                boolean recovered = false;
                for (int i = 0; i < batch.size(); i++) {
                    int retries = pump.settle(batch.get(i), copies.get(i), sends.get(i), recovered);
                    if (retries < 0) {
                        return; // a failure or an abort: what is left stays unacked and goes back to the group
                    }
                    recovered |= retries > 0; // the sends behind a retried one failed the same way: resend them at once
                }
            } finally {
                busy = false;
            }
        }
    }
}
