package io.anymq.redis;

import io.anymq.ConnectionException;
import io.anymq.Message;
import io.anymq.MessagingTimeoutException;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.concurrent.CompletableFuture;

/**
 * XADD to the topic's stream (pipelined by lettuce); the send completes with the entry's id. A
 * message sent without an id is named {@code <topic>-<entry id>}; one sent without a timestamp gets
 * the entry id's time (the server's clock at the append). With {@code wait-replicas} ({@link ReplicaWait}) the core
 * gathers concurrent sends: each batch is a pipeline of {@code XADD}s on the master's connection and one {@code WAIT}.
 */
final class StreamProducerDriver implements ProducerDriver {
    private final String topic;
    private final byte[] key;
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final XAddArgs args;
    /** With {@code wait-replicas}; else null. */
    private final ReplicaWait wait;

    StreamProducerDriver(RedisClusterAsyncCommands<byte[], byte[]> redis, String topic, RedisSettings settings, ReplicaWait wait) {
        this.topic = topic;
        this.wait = wait;
        this.key = RedisKeys.stream(topic);
        this.redis = redis;
        this.args = settings.streamMaxLength() > 0 ? new XAddArgs().maxlen(settings.streamMaxLength()).approximateTrimming() : new XAddArgs();
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        if (wait != null) {
            return sendBatch(java.util.List.of(message)).thenApply(receipts -> receipts.get(0));
        }
        return xadd(redis, message);
    }

    /** With {@code wait-replicas}: the core gathers concurrent sends into one batch, one {@code WAIT}. */
    @Override
    public int coalescedSends() {
        return wait != null ? QueueProducerDriver.SEND_COALESCING : 0;
    }

    @Override
    public CompletableFuture<java.util.List<Receipt>> sendBatch(java.util.List<Message> messages) {
        if (wait == null) {
            return ProducerDriver.super.sendBatch(messages);
        }
        return wait.write(key, ReplicaWait.what(topic, messages.size()), on -> {
            java.util.List<CompletableFuture<Receipt>> each = new java.util.ArrayList<>(messages.size());
            for (Message m : messages) {
                each.add(xadd(on, m));
            }
            return io.anymq.spi.Coalescer.allInOrder(each);
        });
    }

    private CompletableFuture<Receipt> xadd(RedisClusterAsyncCommands<byte[], byte[]> redis, Message message) {
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        redis.xadd(key, args, StreamEntries.toFields(message)).whenComplete((entryId, e) -> {
            if (e != null) {
                receipt.completeExceptionally(e instanceof RedisCommandTimeoutException
                        ? new MessagingTimeoutException("Redis did not confirm the message to '" + topic + "' in time: it may or may not have been stored", e)
                        : RedisErrors.sendFailure(topic, e));
            } else {
                String id = message.id() != null ? message.id() : StreamEntries.positionId(topic, entryId);
                java.time.Instant at = message.timestamp() != null ? message.timestamp() : StreamEntries.entryTime(entryId);
                receipt.complete(new Receipt(topic, id, at, entryId));
            }
        });
        return receipt;
    }

    /** A message sent without an id is named by its entry: no id field travels. */
    @Override
    public boolean namesMessagesByPosition() {
        return true;
    }

    /** A message sent without a timestamp is timed by its entry id: no time field travels. */
    @Override
    public boolean timesMessagesByPosition() {
        return true;
    }

    @Override
    public void close() {
        // the connection belongs to the client
    }
}
