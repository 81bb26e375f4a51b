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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Streams mode on a standalone server: a transaction is one {@code stream-commit.lua} call, which checks
 * everything first (each acked entry still pending under the member that received it with that delivery's
 * count, as the settle script checks; each key a stream or nothing) and then does every XADD of the sends
 * (the producer's fields and MAXLEN) and the XACK of every acked entry. Redis runs a script as one step: readers
 * see all of it or none of it. A refusal of the script (an ack that moved on, a key of another type, any error
 * reply of the server) wrote nothing: {@code ABORTED}. No answer (a lost connection, the command timeout):
 * {@code UNKNOWN}, the script may have run.
 */
final class StreamTransactions {
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final byte[] maxLength;

    StreamTransactions(RedisClusterAsyncCommands<byte[], byte[]> redis, RedisSettings settings) {
        this.redis = redis;
        this.maxLength = bytes(Long.toString(Math.max(0, settings.streamMaxLength())));
    }

    CompletableFuture<List<Receipt>> commit(TransactionWork work) {
        Map<String, Integer> streams = new LinkedHashMap<>(); // topic -> its index in KEYS, from 1
        List<byte[]> args = new ArrayList<>(3 + work.sends().size() * 12 + work.acks().size() * 5);
        args.add(maxLength);
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
                throw new TransactionException(TransactionException.Outcome.ABORTED, "a Redis Streams transaction acks deliveries of "
                        + "this client's stream consumers; this one is a " + d.getClass().getName() + " (nothing took effect)", null);
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
        String what = switch (why) {
            case "moved" -> "an acked delivery is no longer this client's: " + acked.get(at - 1).movedOn().getMessage();
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
    private static TransactionException failed(Throwable e) {
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
