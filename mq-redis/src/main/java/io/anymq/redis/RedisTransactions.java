package io.anymq.redis;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.TransactionException;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Failures;
import io.anymq.spi.TransactionWork;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Transactions on a standalone server: a commit is one script call, which checks everything first and then writes,
 * so that Redis runs it as one step and readers see all of it or none of it. Streams: {@code stream-commit.lua}
 * (each acked entry still pending under the member that received it with that delivery's count, as the settle script
 * checks; each key a stream or nothing; then every XADD with the producer's fields and MAXLEN, and every XACK). List
 * and Sorted Set: {@code list-commit.lua}, {@code zset-commit.lua} (the send and settle scripts' own steps, from the
 * mode's library: room in every group for all of the transaction's messages to its topic, every ack one the settle
 * script would apply; then the sends and the acks). A refusal of the script (an ack that moved on, a full group, a
 * key of another type, any error reply of the server) wrote nothing: {@code ABORTED}. No answer (a lost connection,
 * the command timeout): {@code UNKNOWN}, the script may have run.
 */
final class RedisTransactions {
    private final RedisMode mode;
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final byte[] streamMaxLength;
    private final byte[] queueMaxLength;

    RedisTransactions(RedisMode mode, RedisClusterAsyncCommands<byte[], byte[]> redis, RedisSettings settings) {
        this.mode = mode;
        this.redis = redis;
        this.streamMaxLength = bytes(Long.toString(Math.max(0, settings.streamMaxLength())));
        this.queueMaxLength = bytes(Long.toString(Math.max(0, settings.queueMaxLength())));
    }

    CompletableFuture<List<Receipt>> commit(TransactionWork work) {
        return mode == RedisMode.STREAM ? stream(work) : queue(work);
    }

    private CompletableFuture<List<Receipt>> stream(TransactionWork work) {
        Map<String, Integer> streams = new LinkedHashMap<>(); // topic -> its index in KEYS, from 1
        List<byte[]> args = new ArrayList<>(3 + work.sends().size() * 12 + work.acks().size() * 5);
        args.add(streamMaxLength);
        args.add(bytes(Integer.toString(work.sends().size())));
        args.add(bytes(Integer.toString(work.acks().size())));
        for (TransactionWork.Send s : work.sends()) {
            Map<byte[], byte[]> fields = StreamEntries.toFields(s.message());
            args.add(index(streams, s.topic()));
            args.add(bytes(Integer.toString(2 * fields.size())));
            fields.forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
        }
        List<StreamConsumerDriver.Entry> acked = new ArrayList<>(work.acks().size());
        for (DriverDelivery d : work.acks()) {
            if (!(d instanceof StreamConsumerDriver.Entry e)) {
                throw foreign(d);
            }
            acked.add(e);
            args.add(index(streams, e.topic()));
            args.add(e.group());
            args.add(e.consumer());
            args.add(e.idBytes());
            args.add(e.countBytes());
        }
        List<String> topics = List.copyOf(streams.keySet());
        byte[][] keys = topics.stream().map(RedisKeys::stream).toArray(byte[][]::new);
        return RedisScript.STREAM_COMMIT.<List<Object>>run(redis, ScriptOutputType.MULTI, keys, args.toArray(byte[][]::new))
                .handle((reply, error) -> {
                    if (error != null) {
                        throw failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                    }
                    if (RedisScript.integer(reply.get(0)) != 1L) {
                        throw refused(reply, topics, acked);
                    }
                    List<Receipt> receipts = new ArrayList<>(work.sends().size());
                    for (int i = 0; i < work.sends().size(); i++) {
                        TransactionWork.Send s = work.sends().get(i);
                        Message m = s.message();
                        String entryId = text(reply.get(i + 1));
                        receipts.add(new Receipt(s.topic(), m.id() != null ? m.id() : StreamEntries.positionId(s.topic(), entryId),
                                m.timestamp() != null ? m.timestamp() : StreamEntries.entryTime(entryId), entryId));
                    }
                    return receipts;
                });
    }

    /**
     * List and Sorted Set: the sends grouped by topic (each topic's registry, and in the zset mode its counter, in KEYS;
     * its messages in send order), then the acks (the six keys of each consumer's group once in KEYS).
     */
    private CompletableFuture<List<Receipt>> queue(TransactionWork work) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>(); // topic -> the indexes of its sends, in order
        for (int i = 0; i < work.sends().size(); i++) {
            byTopic.computeIfAbsent(work.sends().get(i).topic(), t -> new ArrayList<>()).add(i);
        }
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>(2 + byTopic.size() * 3 + work.sends().size() * 2 + work.acks().size() * 3);
        args.add(queueMaxLength);
        args.add(bytes(Integer.toString(byTopic.size())));
        byTopic.forEach((topic, sends) -> {
            args.add(bytes(Integer.toString(keys.size() + 1)));
            keys.add(RedisKeys.groups(mode, topic));
            if (mode == RedisMode.ZSET) {
                keys.add(RedisKeys.sequence(mode, topic));
            }
            args.add(bytes(RedisKeys.prefix(mode, topic)));
            args.add(bytes(Integer.toString(sends.size())));
            for (int i : sends) {
                Message m = work.sends().get(i).message();
                if (mode == RedisMode.ZSET) {
                    args.add(m.deliverAt() == null ? new byte[0] : bytes(Long.toString(m.deliverAt().toEpochMilli())));
                }
                args.add(QueueValues.encode(m));
            }
        });
        Map<byte[][], Integer> groupAt = new IdentityHashMap<>();
        List<QueueConsumerDriver.Entry> acked = new ArrayList<>(work.acks().size());
        for (DriverDelivery d : work.acks()) {
            if (!(d instanceof QueueConsumerDriver.Entry e)) {
                throw foreign(d);
            }
            acked.add(e);
            Integer first = groupAt.get(e.groupKeys());
            if (first == null) {
                first = keys.size() + 1;
                groupAt.put(e.groupKeys(), first);
                keys.addAll(List.of(e.groupKeys()));
            }
            args.add(bytes(Integer.toString(first)));
            args.add(e.id());
            if (mode == RedisMode.ZSET) {
                args.add(bytes(Integer.toString(e.deliveryCount())));
            }
        }
        RedisScript script = mode == RedisMode.LIST ? RedisScript.LIST_COMMIT : RedisScript.ZSET_COMMIT;
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.toArray(byte[][]::new), args.toArray(byte[][]::new))
                .handle((reply, error) -> {
                    if (error != null) {
                        throw failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                    }
                    if (RedisScript.integer(reply.get(0)) != 1L) {
                        throw moved((int) RedisScript.integer(reply.get(2)), acked.get((int) RedisScript.integer(reply.get(2)) - 1).movedOn());
                    }
                    Receipt[] receipts = new Receipt[work.sends().size()];
                    int r = 1;
                    for (Map.Entry<String, List<Integer>> t : byTopic.entrySet()) {
                        // list: how many group lists each message of the topic went to; zset: each message's entry id
                        String groups = mode == RedisMode.LIST ? "groups=" + RedisScript.integer(reply.get(r++)) : null;
                        for (int i : t.getValue()) {
                            Message m = work.sends().get(i).message();
                            receipts[i] = new Receipt(t.getKey(), m.id(), m.timestamp(), groups != null ? groups : text(reply.get(r++)));
                        }
                    }
                    return List.of(receipts);
                });
    }

    private static TransactionException foreign(DriverDelivery d) {
        return new TransactionException(TransactionException.Outcome.ABORTED, "a Redis transaction acks deliveries of this client's "
                + "consumers; this one is a " + d.getClass().getName() + " (nothing took effect)", null);
    }

    private static TransactionException moved(int n, io.anymq.SettlementException why) {
        return new TransactionException(TransactionException.Outcome.ABORTED, "the Redis transaction was not committed: acked delivery "
                + n + " is no longer this client's: " + why.getMessage() + "; nothing of it took effect", why);
    }

    private static byte[] index(Map<String, Integer> streams, String topic) {
        Integer i = streams.get(topic);
        if (i == null) {
            i = streams.size() + 1;
            streams.put(topic, i);
        }
        return bytes(Integer.toString(i));
    }

    /** The script's refusal ({@code {0, why, ...}}): it wrote nothing. */
    private static TransactionException refused(List<Object> reply, List<String> topics, List<StreamConsumerDriver.Entry> acked) {
        String why = text(reply.get(1));
        int at = (int) RedisScript.integer(reply.get(2));
        if (why.equals("moved")) {
            return moved(at, acked.get(at - 1).movedOn());
        }
        String what = switch (why) {
            case "type" -> "the key of stream '" + topics.get(at - 1) + "' holds a Redis " + text(reply.get(3)) + ", not a stream";
            case "fields" -> "send " + at + " has more headers than one XADD in a script takes (7,000 field and value arguments)";
            default -> "the commit script refused it (" + why + ")";
        };
        return new TransactionException(TransactionException.Outcome.ABORTED, "the Redis transaction was not committed: " + what
                + "; nothing of it took effect", null);
    }

    /**
     * An error reply: the server refused the script before its first write (every check runs first), or did not run
     * it at all; a command rejected while disconnected was never sent. Anything else: no answer, it may have run.
     */
    static TransactionException failed(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof RedisCommandExecutionException && m.contains("FULL ")) {
            return new TransactionException(TransactionException.Outcome.ABORTED, "Redis refused the transaction: "
                    + m.substring(m.indexOf("FULL ") + 5) + " (option queue.max-length); nothing of it took effect", e);
        }
        if (e instanceof RedisCommandExecutionException
                || (e.getMessage() != null && e.getMessage().startsWith("Currently not connected"))) {
            return new TransactionException(TransactionException.Outcome.ABORTED, "Redis refused the transaction: " + Failures.describe(e)
                    + "; nothing of it took effect", e);
        }
        return new TransactionException(TransactionException.Outcome.UNKNOWN, "Redis did not confirm the transaction's commit ("
                + Failures.describe(e) + "): it may or may not have taken effect", e);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }
}
