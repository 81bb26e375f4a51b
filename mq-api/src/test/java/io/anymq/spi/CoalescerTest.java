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
        Coalescer<Integer, String> c = new Coalescer<>(items -> {
            calls.add(List.copyOf(items));
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            open.add(f);
            return f;
        }, 3);
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
        Coalescer<Integer, Integer> c = new Coalescer<>(items -> {
            calls.add(List.copyOf(items));
            CompletableFuture<List<Integer>> f = new CompletableFuture<>();
            open.add(f);
            return f;
        }, 10);
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
}
