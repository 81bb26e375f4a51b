package io.anymq.redis;

import io.anymq.ConnectionException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The option {@code wait-replicas=N} ({@code wait-timeout=T}): a write is confirmed only once {@code WAIT N T} says at
 * least N replicas acknowledged it. {@code WAIT} counts what the connection it is sent on wrote before it, so the
 * write and its {@code WAIT} go on one connection: on a standalone server a connection of the producers' own (a
 * {@code WAIT} blocks its connection until the replicas answer, which must not hold up the settlements on the shared
 * one); on a Cluster the node connection to the master of the key's slot, taken from a cluster connection of the
 * producers' own (the connection lettuce itself routes that slot's writes on: a {@code WAIT} through the cluster
 * connection would go to an arbitrary node). A write on a node connection does not follow {@code MOVED}: a master
 * that lost the slot refuses it, nothing stored, and the next send goes where lettuce's refreshed topology says.
 * One {@code WAIT} follows each write command, and a write command carries a whole batch (the core gathers
 * concurrent sends into one script call, or into one pipeline of {@code XADD}s).
 */
final class ReplicaWait implements AutoCloseable {
    private final int replicas;
    private final Duration timeout;
    /** The producers' own connection (a cluster connection on a Cluster). */
    private final StatefulConnection<byte[], byte[]> connection;

    private ReplicaWait(int replicas, Duration timeout, StatefulConnection<byte[], byte[]> connection) {
        this.replicas = replicas;
        this.timeout = timeout;
        this.connection = connection;
    }

    /** The wait the settings ask for, with the producers' own connection opened now; or null without {@code wait-replicas}. */
    static ReplicaWait of(RedisSettings settings, AbstractRedisClient client) {
        if (settings.waitReplicas() == 0) {
            return null;
        }
        StatefulConnection<byte[], byte[]> connection = client instanceof RedisClusterClient cluster ? cluster.connect(ByteArrayCodec.INSTANCE)
                : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
        return new ReplicaWait(settings.waitReplicas(), settings.waitTimeout(), connection);
    }

    /**
     * Runs {@code write} on the connection for {@code key} (the producers' connection, or on a Cluster its node connection
     * to the master of the key's slot, found without blocking: this may run on a lettuce thread), then {@link #confirm}s
     * it. No master for the slot, or none reachable, is a {@link ConnectionException} (nothing was written).
     */
    <T> CompletableFuture<T> write(byte[] key, String what, Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletableFuture<T>> write) {
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> writer;
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            int slot = SlotHash.getSlot(key);
            RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(slot);
            if (master == null) {
                return CompletableFuture.failedFuture(new ConnectionException("no Redis master serves slot " + slot
                        + " now; " + what + " was not sent", null));
            }
            RedisURI uri = master.getUri();
            writer = cluster.getConnectionAsync(uri.getHost(), uri.getPort()).thenApply(StatefulRedisConnection::async);
        } else {
            writer = CompletableFuture.completedFuture(((StatefulRedisConnection<byte[], byte[]>) connection).async());
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        writer.whenComplete((on, unreachable) -> {
            if (unreachable != null) {
                Throwable cause = unwrap(unreachable);
                done.completeExceptionally(new ConnectionException("cannot reach the Redis master: " + cause.getMessage()
                        + "; " + what + " was not sent", cause));
                return;
            }
            CompletableFuture<T> written;
            try {
                written = write.apply(on);
            } catch (RuntimeException e) {
                written = CompletableFuture.failedFuture(e);
            }
            confirm(on, written, what).whenComplete((value, e) -> {
                if (e != null) {
                    done.completeExceptionally(unwrap(e));
                } else {
                    done.complete(value);
                }
            });
        });
        return done;
    }

    /**
     * {@code written} (a write made on {@code on}), confirmed once {@code WAIT} on the same connection counts enough
     * replicas; a failed write stays as it failed; fewer replicas, or no answer to {@code WAIT}, is a
     * {@link RedisReplicationException} (the write is in doubt). {@code what} names the write in the error.
     */
    <T> CompletableFuture<T> confirm(RedisClusterAsyncCommands<byte[], byte[]> on, CompletableFuture<T> written, String what) {
        CompletableFuture<T> confirmed = new CompletableFuture<>();
        written.whenComplete((value, writeError) -> {
            if (writeError != null) {
                confirmed.completeExceptionally(unwrap(writeError));
                return;
            }
            on.waitForReplication(replicas, timeout.toMillis()).whenComplete((acked, error) -> {
                if (error != null) {
                    confirmed.completeExceptionally(new RedisReplicationException(what, -1, replicas, timeout, unwrap(error)));
                } else if (acked < replicas) {
                    confirmed.completeExceptionally(new RedisReplicationException(what, acked, replicas, timeout, null));
                } else {
                    confirmed.complete(value);
                }
            });
        });
        return confirmed;
    }

    /** How an error names a write of {@code count} messages to {@code topic}. */
    static String what(String topic, int count) {
        return count == 1 ? "the message to '" + topic + "'" : "a batch of " + count + " messages to '" + topic + "'";
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public void close() {
        connection.close();
    }
}
