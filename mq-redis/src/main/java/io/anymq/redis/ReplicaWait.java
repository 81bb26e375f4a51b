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
    private final AbstractRedisClient client;
    private volatile StatefulConnection<byte[], byte[]> connection;

    private ReplicaWait(int replicas, Duration timeout, AbstractRedisClient client) {
        this.replicas = replicas;
        this.timeout = timeout;
        this.client = client;
    }

    /** The wait the settings ask for, or null without {@code wait-replicas}. */
    static ReplicaWait of(RedisSettings settings, AbstractRedisClient client) {
        return settings.waitReplicas() > 0 ? new ReplicaWait(settings.waitReplicas(), settings.waitTimeout(), client) : null;
    }

    /** The producers' own connection, opened with the first write. */
    private StatefulConnection<byte[], byte[]> connection() {
        StatefulConnection<byte[], byte[]> c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) {
                    c = client instanceof RedisClusterClient cluster ? cluster.connect(ByteArrayCodec.INSTANCE)
                            : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
                    connection = c;
                }
            }
        }
        return c;
    }

    /**
     * The commands to write {@code key} with, before {@link #confirm}: the producers' connection, or on a Cluster its node
     * connection to the master of the key's slot. Throws {@link ConnectionException} when that cannot be reached
     * (nothing was written).
     */
    RedisClusterAsyncCommands<byte[], byte[]> writer(byte[] key) {
        try {
            StatefulConnection<byte[], byte[]> c = connection();
            if (c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
                int slot = SlotHash.getSlot(key);
                RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(slot);
                if (master == null) {
                    throw new ConnectionException("no Redis master serves slot " + slot + " now: nothing was sent", null);
                }
                RedisURI uri = master.getUri();
                return cluster.getConnection(uri.getHost(), uri.getPort()).async();
            }
            return ((StatefulRedisConnection<byte[], byte[]>) c).async();
        } catch (io.lettuce.core.RedisException e) {
            throw new ConnectionException("cannot reach the Redis master to send to: " + e.getMessage() + "; nothing was sent", e);
        }
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

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public void close() {
        StatefulConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
    }
}
