package io.anymq.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Lua script (a resource next to this class, with {@code common.lua} and the mode's library, if any,
 * prepended), run with {@code EVALSHA}; when the server does not know it (after a restart, or
 * {@code SCRIPT FLUSH}), with {@code EVAL}, which caches it again. Scripts are atomic: each one is
 * one step in Redis, and a crash of the client in between steps loses nothing.
 */
final class RedisScript {
    static final RedisScript LIST_SEND = load("list-send", "list-lib");
    static final RedisScript LIST_TAKE = load("list-take");
    static final RedisScript LIST_SETTLE = load("list-settle", "list-lib");
    static final RedisScript LIST_COMMIT = load("list-commit", "list-lib");
    static final RedisScript ZSET_SEND = load("zset-send", "zset-lib");
    static final RedisScript ZSET_TAKE = load("zset-take", "zset-lib");
    static final RedisScript ZSET_SETTLE = load("zset-settle", "zset-lib");
    static final RedisScript ZSET_COMMIT = load("zset-commit", "zset-lib");
    static final RedisScript STREAM_SETTLE = load("stream-settle");
    static final RedisScript STREAM_COMMIT = load("stream-commit");

    private final String name;
    private final byte[] body;
    private final String sha;

    private RedisScript(String name, byte[] body) {
        this.name = name;
        this.body = body;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script {@code name}, after {@code common.lua} and the libraries named (the functions a mode's scripts share). */
    static RedisScript load(String name, String... libraries) {
        StringBuilder body = new StringBuilder(read("common"));
        for (String library : libraries) {
            body.append(read(library));
        }
        return new RedisScript(name, body.append(read(name)).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("mq-redis script " + name + ".lua is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** The SHA-1 that {@code EVALSHA} names the script by. */
    String sha() {
        return sha;
    }

    byte[] body() {
        return body;
    }

    /** Runs the script (asynchronously, pipelined with the connection's other commands). */
    <T> CompletableFuture<T> run(RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys, byte[]... args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(body, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /**
     * Runs the script, and runs it again after 100 ms while it fails for a passing reason, until the
     * deadline or until {@code stop} says the client closed. With {@code idempotent}, any lost
     * connection counts (running the script twice has the effect of running it once); otherwise only
     * failures that say the server did not run it (it was loading, the cluster was down, or there was no
     * connection to send it on).
     */
    <T> CompletableFuture<T> runRetrying(RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys,
                                         long deadlineNanos, boolean idempotent, java.util.function.BooleanSupplier stop, byte[]... args) {
        return this.<T>run(redis, type, keys, args).handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (stop.getAsBoolean() || System.nanoTime() - deadlineNanos >= 0 || !passing(cause, idempotent)) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            return CompletableFuture.supplyAsync(() -> (Void) null, CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .thenCompose(again -> this.<T>runRetrying(redis, type, keys, deadlineNanos, idempotent, stop, args));
        }).thenCompose(f -> f);
    }

    /** Whether the failure passes when the server is back; see {@link #runRetrying}. */
    static boolean passing(Throwable error, boolean idempotent) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof io.lettuce.core.RedisLoadingException || m.startsWith("LOADING") || m.startsWith("CLUSTERDOWN")
                    || m.startsWith("TRYAGAIN") || m.startsWith("MASTERDOWN") || m.startsWith("Unable to connect")
                    || t instanceof java.net.ConnectException) {
                return true;
            }
            if (idempotent && (t instanceof io.lettuce.core.RedisConnectionException || t instanceof java.io.IOException
                    || m.startsWith("Connection closed") || m.contains("Connection reset") || m.contains("Connection is closed")
                    || m.contains("Disconnected"))) {
                return true;
            }
        }
        return false;
    }

    /** An integer reply as a long. */
    static long integer(Object reply) {
        return reply instanceof Long l ? l : Long.parseLong(new String((byte[]) reply, StandardCharsets.UTF_8));
    }

    /** A multi-bulk reply. */
    @SuppressWarnings("unchecked")
    static List<Object> multi(Object reply) {
        return (List<Object>) reply;
    }

    @Override
    public String toString() {
        return name + ".lua (" + sha + ")";
    }
}
