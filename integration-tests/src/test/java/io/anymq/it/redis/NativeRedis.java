package io.anymq.it.redis;

import io.lettuce.core.AbstractRedisClient;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The tests' plain lettuce clients. */
final class NativeRedis {
    private NativeRedis() {
    }

    /**
     * Shuts a test's own lettuce client down, waiting at most 10 s: lettuce's {@code shutdown()} waits without a
     * bound, and a full run once hung in it for 15 minutes (RedisQueueModesIT, its event loops already gone).
     * What the test checked is done by then; a shutdown that does not finish is not what it tests.
     * A known lettuce bug: redis/lettuce#2278 (open).
     */
    static void shutdown(AbstractRedisClient client) {
        try {
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            System.err.println("the test's lettuce client did not shut down within 10 s: " + e);
        }
    }
}
