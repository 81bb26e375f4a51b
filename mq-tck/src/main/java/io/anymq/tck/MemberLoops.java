package io.anymq.tck;

import io.anymq.Consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** One receive loop per member of a group, each on a thread of its own, until stopped: how applications run members. */
final class MemberLoops implements AutoCloseable {
    /** One turn of a member's loop (for example a receive and what the application does with it). */
    interface Turn {
        void run(Consumer member, int index) throws Exception;
    }

    private final ExecutorService pool;
    private final AtomicBoolean done = new AtomicBoolean();
    private final List<Future<?>> loops = new ArrayList<>();

    /** Starts a loop of turns for each member. */
    MemberLoops(List<Consumer> members, Turn turn) {
        this.pool = Executors.newFixedThreadPool(members.size());
        for (int i = 0; i < members.size(); i++) {
            Consumer member = members.get(i);
            int index = i;
            loops.add(pool.submit(() -> {
                while (!done.get()) {
                    turn.run(member, index);
                }
                return null;
            }));
        }
    }

    /** Waits until {@code enough} holds or {@code atMost} has passed, looking every 20 ms. */
    void awaitUntil(BooleanSupplier enough, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!enough.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Ends the loops after their current turn and waits for them; a loop's failure is thrown here. */
    void stop() throws InterruptedException, ExecutionException {
        done.set(true);
        for (Future<?> f : loops) {
            f.get();
        }
    }

    @Override
    public void close() {
        done.set(true);
        pool.shutdownNow();
    }
}
