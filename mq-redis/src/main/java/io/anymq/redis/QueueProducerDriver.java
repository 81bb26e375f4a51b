package io.anymq.redis;

import io.anymq.ConnectionException;
import io.anymq.Message;
import io.anymq.MessagingTimeoutException;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends in the list and zset modes: one script call puts the envelopes into every group registered
 * for the topic, atomically (list: {@code LPUSH} onto each group's list; zset: {@code ZADD} into each
 * group's due set, scored by the due time). A batch is one call, split only above
 * {@link #BATCH_BYTES} of envelopes. A send the server refused because it was loading its data or the
 * cluster was down is tried again for up to the command timeout. With {@code wait-replicas} ({@link ReplicaWait}) the
 * script runs on the master's connection and one {@code WAIT} follows each call.
 */
final class QueueProducerDriver implements ProducerDriver {
    /** The most envelope bytes one script call carries (Redis reads a whole command into memory). */
    static final long BATCH_BYTES = 64L * 1024 * 1024;
    /** The most single sends the core gathers into one script call. */
    static final int SEND_COALESCING = 256;

    private final RedisMode mode;
    private final String topic;
    private final byte[][] keys;
    private final byte[] prefix;
    private final RedisScript script;
    /** {@code queue.max-length}: a send that would make a group hold more waiting messages is refused. */
    private final byte[] maxLength;
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final java.util.concurrent.atomic.AtomicBoolean closed;
    private final long retryNanos;
    /** With {@code wait-replicas}; else null. */
    private final ReplicaWait wait;

    QueueProducerDriver(RedisConnections.Connected connected, RedisSettings settings, String topic, ReplicaWait wait) {
        this.wait = wait;
        this.mode = settings.mode();
        this.topic = topic;
        this.redis = connected.async();
        this.closed = connected.closed();
        this.retryNanos = settings.commandTimeout().toNanos();
        this.maxLength = RedisKeys.bytes(Long.toString(settings.queueMaxLength()));
        this.prefix = RedisKeys.bytes(RedisKeys.prefix(mode, topic));
        if (mode == RedisMode.LIST) {
            this.keys = new byte[][]{RedisKeys.groups(mode, topic)};
            this.script = RedisScript.LIST_SEND;
        } else {
            this.keys = new byte[][]{RedisKeys.groups(mode, topic), RedisKeys.sequence(mode, topic)};
            this.script = RedisScript.ZSET_SEND;
        }
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        return call(List.of(message)).thenApply(receipts -> receipts.get(0));
    }

    /** One script call carries many messages for about the cost of one: the core gathers concurrent sends. */
    @Override
    public int coalescedSends() {
        return SEND_COALESCING;
    }

    @Override
    public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        List<CompletableFuture<List<Receipt>>> parts = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            long size = messages.get(i).payloadSize() + 256L;
            if (i > from && bytes + size > BATCH_BYTES) {
                parts.add(call(messages.subList(from, i)));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        parts.add(call(messages.subList(from, messages.size())));
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return io.anymq.spi.Coalescer.allInOrder(parts).thenApply(each -> {
            List<Receipt> all = new ArrayList<>(messages.size());
            each.forEach(all::addAll);
            return all;
        });
    }

    private CompletableFuture<List<Receipt>> call(List<Message> messages) {
        int perMessage = mode == RedisMode.LIST ? 1 : 2;
        byte[][] args = new byte[2 + perMessage * messages.size()][];
        args[args.length - 1] = maxLength;
        args[0] = prefix;
        int a = 1;
        for (Message m : messages) {
            if (mode == RedisMode.ZSET) {
                args[a++] = m.deliverAt() == null ? new byte[0] : RedisKeys.bytes(Long.toString(m.deliverAt().toEpochMilli()));
            }
            args[a++] = QueueValues.encode(m);
        }
        CompletableFuture<List<Receipt>> receipts = new CompletableFuture<>();
        ScriptOutputType type = mode == RedisMode.LIST ? ScriptOutputType.INTEGER : ScriptOutputType.MULTI;
        long deadline = System.nanoTime() + retryNanos;
        // a send is not run again after a lost connection (it may have been run): only when the server said it did not run it
        (wait == null ? script.<Object>runRetrying(redis, type, keys, deadline, false, closed::get, args)
                : wait.write(keys[0], ReplicaWait.what(topic, messages.size()), on -> script.<Object>runRetrying(on, type, keys, deadline, false, closed::get, args)))
                .whenComplete((reply, e) -> {
                    if (e != null) {
                        receipts.completeExceptionally(failure(e));
                        return;
                    }
                    List<Receipt> out = new ArrayList<>(messages.size());
                    if (mode == RedisMode.LIST) {
                        // the position: to how many group lists the message went
                        String position = "groups=" + RedisScript.integer(reply);
                        for (Message m : messages) {
                            out.add(new Receipt(topic, m.id(), m.timestamp(), position));
                        }
                    } else {
                        List<Object> ids = RedisScript.multi(reply);
                        for (int i = 0; i < messages.size(); i++) {
                            Message m = messages.get(i);
                            out.add(new Receipt(topic, m.id(), m.timestamp(), new String((byte[]) ids.get(i + 1), StandardCharsets.UTF_8)));
                        }
                    }
                    receipts.complete(out);
                });
        return receipts;
    }

    private RuntimeException failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof io.anymq.MessagingException typed) {
            return typed; // RedisReplicationException, or a ConnectionException raised before anything was sent
        }
        if (e.getMessage() != null && e.getMessage().contains("FULL ")) {
            return new io.anymq.BackpressureException("Redis refused the message to '" + topic + "': "
                    + e.getMessage().substring(e.getMessage().indexOf("FULL ") + 5) + " (option queue.max-length); nothing was added");
        }
        return e instanceof RedisCommandTimeoutException
                ? new MessagingTimeoutException("Redis did not confirm the message to '" + topic + "' in time: it may or may not have been stored", e)
                : RedisErrors.sendFailure(topic, e);
    }

    @Override
    public void close() {
        // the connection belongs to the client
    }
}
