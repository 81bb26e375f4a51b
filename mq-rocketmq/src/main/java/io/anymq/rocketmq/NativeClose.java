package io.anymq.rocketmq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Closing a native rocketmq-client-java client, which may not return: its shutdown waits without a bound
 * ({@code ManagedChannel.awaitTermination(Long.MAX_VALUE)}) for its gRPC channels to end their calls, and
 * after a proxy restart a call may never end (HealthRestartDrill: the producer's close hung for minutes).
 * The close runs on a daemon thread of its own; the caller waits for it at most {@link #WAIT}.
 */
final class NativeClose {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(NativeClose.class);

    private NativeClose() {
    }

    /** Starts closing {@code client} on a thread of its own and returns at once. */
    static Thread start(AutoCloseable client, String what) {
        Thread t = new Thread(() -> {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing is best effort: the proxy drops the client when its session ends
            }
        }, "anymq-rocketmq-close " + what);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Closes {@code client}, waiting at most {@link #WAIT}; after that its close goes on in the background. */
    static void bounded(AutoCloseable client, String what) {
        Thread t = start(client, what);
        try {
            t.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (t.isAlive()) {
            LOG.warn("the RocketMQ {} did not close within {} s (rocketmq-client-java waits without a bound for its gRPC calls to end, "
                    + "as after a proxy restart); it goes on closing in the background", what, WAIT.toSeconds());
        }
    }
}
