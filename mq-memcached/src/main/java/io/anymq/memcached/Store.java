package io.anymq.memcached;

import io.anymq.BackpressureException;
import io.anymq.ConnectionException;
import io.anymq.MessagingException;
import io.anymq.MessagingInterruptedException;
import io.anymq.MessagingTimeoutException;
import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.exception.MemcachedException;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The few Memcached commands the module uses, on raw bytes, with xmemcached's checked exceptions
 * turned into the SDK's typed ones: a timeout is a {@link MessagingTimeoutException}, a server
 * out of memory (a server started with {@code -M}) a {@link BackpressureException}, anything else a
 * {@link ConnectionException}; all retryable.
 */
final class Store {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Store.class);
    private final MemcachedClient client;
    private final String where;
    private final long retryNanos;
    /** Runs independent commands side by side, so that xmemcached pipelines them on the connection. */
    private final java.util.concurrent.ExecutorService parallel;

    Store(MemcachedClient client, String where, long retryNanos) {
        this.client = client;
        this.where = where;
        this.retryNanos = retryNanos;
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.parallel = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "mq-memcached-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs settlement batches off the consumers' polling threads (one batch per consumer at a time: the core's coalescer). */
    private final java.util.concurrent.ExecutorService settling = java.util.concurrent.Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
        private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mq-memcached-settle-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** Runs the work on a settling thread; the future fails with the work's failure (or a ClosedException-like one if closed). */
    <T> java.util.concurrent.CompletableFuture<T> settling(java.util.function.Supplier<T> work) {
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(work, settling);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new ConnectionException("the memcached client is closed", e));
        }
    }

    /** How many commands {@link #all} keeps in flight at once. */
    static final int PARALLEL = 4;

    /**
     * Runs independent commands side by side (each mapped to the SDK's errors like {@link #call}) and returns
     * each one's result, or its failure, in order. One command runs on the caller's thread (an interrupt that
     * comes meanwhile fails it with {@code MessagingInterruptedException}, whether or not memcached carried it out).
     */
    <T> List<Object> all(List<Call<T>> calls) {
        List<Object> out = new java.util.ArrayList<>(calls.size());
        if (calls.size() == 1) {
            try {
                out.add(call("command", calls.get(0)));
            } catch (RuntimeException e) {
                out.add(e);
            }
            return out;
        }
        List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>(calls.size());
        for (Call<T> c : calls) {
            futures.add(parallel.submit(() -> call("command", c)));
        }
        for (java.util.concurrent.Future<T> f : futures) {
            try {
                // the commands run on their own threads and take effect whoever waits: their answers are waited for
                // however often the caller is interrupted (the flag is set again after)
                out.add(io.anymq.spi.Uninterruptibly.get(f));
            } catch (java.util.concurrent.ExecutionException e) {
                out.add(e.getCause());
            }
        }
        return out;
    }

    /** Runs a command whose answer nobody waits for (its failure is only logged at debug): off the caller's round trip. */
    <T> void later(String what, Call<T> call) {
        try {
            parallel.execute(() -> {
                try {
                    call(what, call);
                } catch (RuntimeException e) {
                    LOG.debug("memcached '{}' failed (nothing waited for it): {}", what, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the command was an optimisation only
        }
    }

    void close() {
        settling.shutdown();
        try {
            settling.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        parallel.shutdownNow();
    }

    /**
     * Runs a command, and again while the client has no connection to the server (it reconnects by
     * itself), for up to the command timeout: a command that was never sent is safe to send again.
     */
    <T> T retrying(String what, Call<T> call) {
        long deadline = System.nanoTime() + retryNanos;
        while (true) {
            try {
                return call(what, call);
            } catch (ServerUnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                if (Thread.currentThread().isInterrupted()) {
                    throw new MessagingInterruptedException("interrupted while waiting for memcached to be reachable again",
                            new InterruptedException());
                }
            }
        }
    }

    MemcachedClient client() {
        return client;
    }

    byte[] get(String key) {
        return call("get " + key, () -> client.get(key, RawTranscoder.INSTANCE));
    }

    Map<String, byte[]> get(Collection<String> keys) {
        return call("get", () -> client.get(keys, RawTranscoder.INSTANCE));
    }

    Map<String, GetsResponse<byte[]>> gets(Collection<String> keys) {
        return call("gets", () -> client.gets(keys, RawTranscoder.INSTANCE));
    }

    GetsResponse<byte[]> gets(String key) {
        return call("gets " + key, () -> client.gets(key, RawTranscoder.INSTANCE));
    }

    /** Stores only if the key is absent; false when it is there. */
    boolean add(String key, int expiry, byte[] value) {
        return call("add " + key, () -> client.add(key, expiry, value, RawTranscoder.INSTANCE));
    }

    /** Stores only if the item is unchanged since it was read with {@code cas}; false when it changed or vanished. */
    boolean cas(String key, int expiry, byte[] value, long cas) {
        return call("cas " + key, () -> client.cas(key, expiry, value, RawTranscoder.INSTANCE, cas));
    }

    void set(String key, int expiry, byte[] value) {
        boolean stored = call("set " + key, () -> client.set(key, expiry, value, RawTranscoder.INSTANCE));
        if (!stored) {
            throw new ConnectionException("memcached at " + where + " did not store '" + key + "'", null);
        }
    }

    /** Adds delta to a counter; a missing counter is created holding {@code initial} (and that is returned). */
    long incr(String key, long delta, long initial) {
        return call("incr " + key, () -> client.incr(key, delta, initial));
    }

    /** A counter's value, or -1 when it is absent. */
    static long counter(byte[] value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    interface Call<T> {
        T run() throws TimeoutException, InterruptedException, MemcachedException;
    }

    <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (TimeoutException e) {
            throw new MessagingTimeoutException("memcached at " + where + " did not answer '" + what + "' in time", e);
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted during '" + what + "' on memcached", e);
        } catch (MemcachedException e) {
            throw failure(what, e);
        } catch (MessagingException e) {
            throw e;
        } catch (RuntimeException e) {
            // xmemcached reports a lost or absent connection as an unchecked exception
            throw new ConnectionException("memcached at " + where + " failed '" + what + "': " + e.getMessage(), e);
        }
    }

    private MessagingException failure(String what, MemcachedException e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("no available connection") || text.contains("Session has been closed")) {
            return new ServerUnavailableException("memcached at " + where + " is not connected for '" + what + "' (reconnecting): " + text, e);
        }
        if (text.contains("out of memory")) {
            return new BackpressureException("memcached at " + where + " is out of memory (it runs without eviction) and refused '"
                    + what + "': " + text);
        }
        return new ConnectionException("memcached at " + where + " refused '" + what + "': " + text, e);
    }
}
