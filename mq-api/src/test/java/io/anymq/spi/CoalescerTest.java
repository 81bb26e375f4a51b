package io.anymq.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescerTest {

    @Test
    void theFirstItemGoesAloneAndThoseThatCameMeanwhileGoTogetherInOrder() {
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        List<CompletableFuture<List<String>>> open = new CopyOnWriteArrayList<>();
        Coalescer<Integer, String> c = new Coalescer<>(held(calls, open), 3);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            results.add(c.submit(i));
        }
        assertThat(calls).containsExactly(List.of(1));
        open.get(0).complete(List.of("r1"));
        assertThat(results.get(0)).isCompletedWithValue("r1");
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4)); // at most 3 per call
        open.get(1).complete(List.of("r2", "r3", "r4"));
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4), List.of(5, 6));
        open.get(2).complete(List.of("r5", "r6"));
        assertThat(results).allMatch(CompletableFuture::isDone);
        assertThat(results.get(5)).isCompletedWithValue("r6");
        assertThat(c.submit(7)).isNotDone(); // idle again: goes out at once
        assertThat(calls).hasSize(4).last().isEqualTo(List.of(7));
    }

    @Test
    void submitAllKeepsTheItemsTogetherInOrderBehindWhatCameBefore() {
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        List<CompletableFuture<List<Integer>>> open = new CopyOnWriteArrayList<>();
        Coalescer<Integer, Integer> c = new Coalescer<>(held(calls, open), 10);
        CompletableFuture<Integer> first = c.submit(1);
        CompletableFuture<Integer> waiting = c.submit(2);
        CompletableFuture<List<Integer>> all = c.submitAll(List.of(3, 4));
        open.get(0).complete(List.of(10));
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4));
        assertThat(all).isNotDone();
        open.get(1).complete(List.of(20, 30, 40));
        assertThat(first).isCompletedWithValue(10);
        assertThat(waiting).isCompletedWithValue(20);
        assertThat(all).isCompletedWithValue(List.of(30, 40));
    }

    @Test
    void aFailedCallFailsEveryItemItTookAndTheNextCallStillRuns() {
        List<CompletableFuture<List<String>>> open = new CopyOnWriteArrayList<>();
        Coalescer<Integer, String> c = new Coalescer<>(items -> {
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            open.add(f);
            return f;
        }, 10);
        CompletableFuture<String> first = c.submit(1);
        CompletableFuture<String> second = c.submit(2);
        CompletableFuture<String> third = c.submit(3);
        open.get(0).completeExceptionally(new IllegalStateException("lost"));
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("lost");
        open.get(1).completeExceptionally(new IllegalStateException("again"));
        assertThatThrownBy(second::get).hasRootCauseMessage("again");
        assertThatThrownBy(third::get).hasRootCauseMessage("again");
        CompletableFuture<String> fourth = c.submit(4);
        open.get(2).complete(List.of("ok"));
        assertThat(fourth).isCompletedWithValue("ok");
    }

    @Test
    void callsThatCompleteAtOnceAndCallsThatThrowDoNotStopTheQueue() {
        Coalescer<Integer, Integer> c = new Coalescer<>(items -> {
            if (items.contains(13)) {
                throw new IllegalArgumentException("unlucky");
            }
            return CompletableFuture.completedFuture(items.stream().map(i -> i * 2).toList());
        }, 5);
        assertThat(c.submit(1)).isCompletedWithValue(2);
        assertThat(c.submit(13)).isCompletedExceptionally();
        assertThat(c.submit(4)).isCompletedWithValue(8);
        Coalescer<Integer, Integer> wrong = new Coalescer<>(items -> CompletableFuture.completedFuture(List.of()), 5);
        assertThat(wrong.submit(1)).isCompletedExceptionally();
    }

    @Test
    void withSeveralCallsTheyOverlapUpToTheBoundAndStartInOrder() {
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        List<CompletableFuture<List<Integer>>> open = new CopyOnWriteArrayList<>();
        Coalescer<Integer, Integer> c = new Coalescer<>(held(calls, open), 3, 2);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            results.add(c.submit(i));
        }
        // two calls at once, each of the first two items alone (a slot was free); the rest wait for a slot
        assertThat(calls).containsExactly(List.of(1), List.of(2));
        open.get(1).complete(List.of(20)); // the second call ends first: its slot takes the next three
        assertThat(calls).containsExactly(List.of(1), List.of(2), List.of(3, 4, 5));
        assertThat(results.get(1)).isCompletedWithValue(20);
        assertThat(results.get(0)).isNotDone();
        open.get(0).complete(List.of(10));
        assertThat(calls).containsExactly(List.of(1), List.of(2), List.of(3, 4, 5), List.of(6));
        open.get(2).complete(List.of(30, 40, 50));
        open.get(3).complete(List.of(60));
        assertThat(results).extracting(CompletableFuture::join).containsExactly(10, 20, 30, 40, 50, 60);
        assertThatThrownBy(() -> new Coalescer<Integer, Integer>(items -> null, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsStartInTheOrderTheirItemsCameWhenManyThreadsSubmit() throws Exception {
        List<Integer> started = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService completer = java.util.concurrent.Executors.newFixedThreadPool(3);
        Coalescer<Integer, Integer> c = new Coalescer<>(items -> {
            started.addAll(items);
            return CompletableFuture.supplyAsync(() -> items, completer);
        }, 16, 4);
        int perThread = 5_000;
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Integer>> all = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * perThread;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    all.add(c.submit(base + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        completer.shutdown();
        assertThat(started).hasSize(4 * perThread);
        // each thread's items were submitted in order, so they must have started in that order
        for (int t = 0; t < 4; t++) {
            int base = t * perThread;
            List<Integer> mine = started.stream().filter(i -> i >= base && i < base + perThread).toList();
            assertThat(mine).isSorted();
        }
    }

    /** A call that records the items it took and returns a future the test completes. */
    private static <R> java.util.function.Function<List<Integer>, CompletableFuture<List<R>>> held(List<List<Integer>> calls,
                                                                                                  List<CompletableFuture<List<R>>> open) {
        return items -> {
            calls.add(List.copyOf(items));
            CompletableFuture<List<R>> f = new CompletableFuture<>();
            open.add(f);
            return f;
        };
    }
}
