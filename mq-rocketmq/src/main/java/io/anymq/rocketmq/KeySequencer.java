package io.anymq.rocketmq;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs the sends of one key one after the other (mode=fifo): RocketMQ keeps a message group in the
 * order the broker stored it, and concurrent gRPC sends of one group can be stored in any order.
 * Sends of different keys, and sends without a key, still go at once.
 */
final class KeySequencer {
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> send) {
        CompletableFuture<T> result;
        synchronized (tails) {
            CompletableFuture<?> previous = tails.get(key);
            result = previous == null ? send.get() : previous.handle((v, e) -> null).thenCompose(ignored -> send.get());
            tails.put(key, result);
        }
        result.whenComplete((v, e) -> {
            synchronized (tails) {
                tails.remove(key, result);
            }
        });
        return result;
    }
}
