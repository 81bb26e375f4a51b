package io.anymq.nats;

import io.anymq.spi.OwnThread;
import io.anymq.spi.Uninterruptibly;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The thread of a connection's own for the protocol messages of application calls that must reach the server: a
 * flush's PING, a core subscription's SUB. jnats drops whatever an interrupted thread hands it (its writer queue's
 * {@code tryLock}, 2.26.2), without a word for these. A dropped PING leaves its PONG future in jnats' queue, where it
 * takes the answer to the next PING, and so on for good: one flush from a thread whose interrupt flag was set made
 * every later flush of the connection, and every new core subscription's confirmation, time out after 10 s. A dropped
 * SUB makes a consumer that never receives. Nothing interrupts this thread.
 */
final class NatsControl implements AutoCloseable {
    private final OwnThread thread;

    NatsControl(String name) {
        this.thread = new OwnThread("anymq-nats-control-" + name);
    }

    /**
     * Flushes the connection on this thread and waits up to the timeout. An interrupt of the caller ends its wait
     * ({@link InterruptedException}), not the flush.
     */
    void flush(Connection connection, Duration timeout) throws TimeoutException, InterruptedException {
        Future<Void> done = thread.submit(() -> {
            connection.flush(timeout);
            return null;
        });
        try {
            done.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Uninterruptibly.failure(e, TimeoutException.class);
        }
    }

    /** Runs the work on this thread and waits for it, however often the caller is interrupted meanwhile. */
    <T> T call(Callable<T> work) throws TimeoutException {
        return thread.call(work, TimeoutException.class);
    }

    @Override
    public void close() {
        thread.close();
    }
}
