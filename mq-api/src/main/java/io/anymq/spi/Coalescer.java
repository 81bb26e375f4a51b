package io.anymq.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Natural batching of an operation that is cheaper for many items at once (a script call, a
 * round trip): the first item goes out at once, alone; items submitted while a call is running wait
 * and all go out together in the next call, up to {@code maxBatch}. No timer and no added latency:
 * under load the batches grow by themselves, when idle every item goes out at once. By default one
 * call runs at a time, so items go out in the order they were submitted; with {@code maxCalls} above 1
 * up to that many run at once (calls still start in submission order: where the broker applies them in
 * the order they were sent, as one pipelined connection does, the order holds; the round trips overlap).
 *
 * @param <T> an item
 * @param <R> the result of one item
 */
public final class Coalescer<T, R> {
    private final Function<List<T>, CompletableFuture<List<R>>> call;
    private final int maxBatch;
    private final int maxCalls;
    private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();

    /**
     * A coalescer of calls.
     *
     * @param call     runs one batch; its result list has one result per item, in order
     * @param maxBatch the most items one call takes
     */
    public Coalescer(Function<List<T>, CompletableFuture<List<R>>> call, int maxBatch) {
        this(call, maxBatch, 1);
    }

    /**
     * A coalescer of calls, up to {@code maxCalls} of them running at once.
     *
     * @param call     runs one batch; its result list has one result per item, in order
     * @param maxBatch the most items one call takes
     * @param maxCalls the most calls running at once
     */
    public Coalescer(Function<List<T>, CompletableFuture<List<R>>> call, int maxBatch, int maxCalls) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be at least 1");
        }
        this.call = call;
        this.maxBatch = maxBatch;
        this.maxCalls = maxCalls;
    }

    /** Submits one item; the future completes with its result when the call that took it completed. */
    public CompletableFuture<R> submit(T item) {
        Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
        queue.add(p);
        drain();
        return p.result;
    }

    /** Submits the items in order; the future completes with their results, in the same order. */
    public CompletableFuture<List<R>> submitAll(List<T> items) {
        List<CompletableFuture<R>> each = new ArrayList<>(items.size());
        for (T item : items) {
            each.add(submit(item));
        }
        return allInOrder(each);
    }

    /** The results of these futures in their order, once all completed; the first failure fails it. */
    public static <V> CompletableFuture<List<V>> allInOrder(List<CompletableFuture<V>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<V> results = new ArrayList<>(futures.size());
            for (CompletableFuture<V> f : futures) {
                results.add(f.join());
            }
            return results;
        });
    }

    /** Takes one of the call slots, or says that all are taken. */
    private boolean startCall() {
        int r;
        do {
            r = running.get();
            if (r >= maxCalls) {
                return false;
            }
        } while (!running.compareAndSet(r, r + 1));
        return true;
    }

    /**
     * Starts calls while items wait and a call slot is free; a call that completed at once is followed in
     * this loop, not by recursion. With one slot, the batch is taken while the slot is held, so calls start
     * in submission order; with several, a batch is taken and its call started under a lock, for the same reason.
     */
    private void drain() {
        while (!queue.isEmpty() && startCall()) {
            List<Pending<T, R>> batch;
            CompletableFuture<List<R>> f;
            if (maxCalls == 1) {
                batch = take();
                f = batch.isEmpty() ? null : start(batch);
            } else {
                synchronized (queue) { // taken and started together: calls start in the order their items came
                    batch = take();
                    f = batch.isEmpty() ? null : start(batch);
                }
            }
            if (f == null) {
                running.decrementAndGet();
                continue;
            }
            if (f.isDone()) {
                settle(batch, f);
                running.decrementAndGet();
                continue;
            }
            f.whenComplete((results, error) -> {
                settle(batch, f);
                running.decrementAndGet();
                drain();
            });
            if (maxCalls == 1) {
                return;
            }
        }
    }

    /** The next batch: up to maxBatch waiting items, in order. */
    private List<Pending<T, R>> take() {
        List<Pending<T, R>> batch = new ArrayList<>(Math.min(maxBatch, 64));
        Pending<T, R> p;
        while (batch.size() < maxBatch && (p = queue.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }

    private CompletableFuture<List<R>> start(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> b : batch) {
            items.add(b.item);
        }
        try {
            return call.apply(items);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T, R> void settle(List<Pending<T, R>> batch, CompletableFuture<List<R>> done) {
        List<R> results;
        try {
            results = done.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            for (Pending<T, R> p : batch) {
                p.result.completeExceptionally(cause);
            }
            return;
        }
        if (results == null || results.size() != batch.size()) {
            IllegalStateException wrong = new IllegalStateException("a batch of " + batch.size() + " items gave "
                    + (results == null ? "no" : results.size()) + " results");
            for (Pending<T, R> p : batch) {
                p.result.completeExceptionally(wrong);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
    }

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }
}
