package io.anymq.redis;

import io.anymq.ConnectionException;
import io.anymq.ConsumerOptions;
import io.anymq.EnvelopeFormatException;
import io.anymq.Message;
import io.anymq.SettlementException;
import io.anymq.spi.BatchSettledDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReadAhead;
import io.anymq.spi.Settlement;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A member of a group in the list or zset mode. Each poll runs the mode's take script (one atomic
 * step: give back what is due, then move up to {@code max} entries into the group's in-flight set
 * with their ack deadline and count the delivery); when nothing came, it blocks on the group's wait
 * key with {@code BLMOVE key key RIGHT RIGHT} (a no-op move that returns as soon as the list is not
 * empty: the list itself in the list mode, the wake list in the zset mode), at most
 * the core's poll slice (at most {@link #MAX_SLICE_MS}) or until the next deadline or due time the script reported, and takes once more. Any member gives
 * back any member's expired entries, so the ack timeout is enforced in Redis even when the member
 * that took an entry died.
 */
final class QueueConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumerDriver.class);
    /** The longest a member blocks before it takes again (it may have missed a due time another member set). */
    static final long MAX_SLICE_MS = 250;
    /** The most expired or due entries one take gives back. */
    static final int GIVE_BACK_LIMIT = 512;
    /** The most value bytes one take moves (at least one value, whatever its size): a big backlog of big messages is not read at once. */
    static final long TAKE_BYTES = 16L * 1024 * 1024;
    /** The most settlements one settle call carries. */
    static final int SETTLE_BATCH = 256;
    private static final byte[] NO_VALUE = new byte[0];
    /** {@link #takeInto}: the connection went down before the take's answer came. */
    private static final long LOST = Long.MIN_VALUE;
    private static final byte[] GIVE_BACK_LIMIT_ARG = RedisKeys.bytes(Integer.toString(GIVE_BACK_LIMIT));
    private static final byte[] TAKE_BYTES_ARG = RedisKeys.bytes(Long.toString(TAKE_BYTES));

    private final RedisMode mode;
    private final String topic;
    private final String group;
    private final long ackWaitMs;
    private final byte[][] takeKeys;
    private final byte[][] settleKeys;
    private final byte[] waitKey;
    private final RedisScript take;
    private final RedisScript settle;
    private final RedisConnections.Blocking blocking;
    private final RedisClusterAsyncCommands<byte[], byte[]> shared;
    private final java.util.concurrent.atomic.AtomicBoolean clientClosed;
    private final long retryNanos;
    private final int prefetch;
    private final ReadAhead<Entry> buffer = new ReadAhead<>();
    /** When this member should take again at the latest, because of a nack delay it set itself (nanoTime). */
    private volatile long takeBy = Long.MAX_VALUE;

    QueueConsumerDriver(RedisConnections.Connected redis, RedisMode mode, ConsumerOptions options, RedisSettings settings) {
        this.mode = mode;
        this.topic = options.topic();
        this.group = options.group();
        this.ackWaitMs = Math.max(1, (options.ackTimeout() != null ? options.ackTimeout() : settings.defaultAckWait()).toMillis());
        if (mode == RedisMode.LIST) {
            byte[] ready = key("ready");
            this.takeKeys = new byte[][]{ready, key("inflight"), key("pending"), key("delayed"), key("deliveries"), key("seq")};
            this.settleKeys = new byte[][]{ready, key("inflight"), key("pending"), key("delayed"), key("deliveries"), key("invalid")};
            this.waitKey = ready;
            this.take = RedisScript.LIST_TAKE;
            this.settle = RedisScript.LIST_SETTLE;
        } else {
            byte[] wake = key("wake");
            this.takeKeys = new byte[][]{key("due"), key("inflight"), key("body"), key("deliveries"), wake, RedisKeys.sequence(mode, topic)};
            this.settleKeys = new byte[][]{key("due"), key("inflight"), key("body"), key("deliveries"), wake, key("invalid")};
            this.waitKey = wake;
            this.take = RedisScript.ZSET_TAKE;
            this.settle = RedisScript.ZSET_SETTLE;
        }
        this.prefetch = Math.max(1, options.maxInFlight());
        this.shared = redis.async();
        this.clientClosed = redis.closed();
        this.retryNanos = settings.commandTimeout().toNanos();
        this.blocking = redis.openBlocking();
        RedisClusterCommands<byte[], byte[]> sync = blocking.sync();
        try {
            // the group exists from now on: every later send reaches it
            sync.sadd(RedisKeys.groups(mode, topic), RedisKeys.bytes(group));
            if (options.deadLetterTopic() != null && settings.deadLetterGroup() != null) {
                // without a group a dead-letter topic would drop what the SDK sends there: keep it for a reader that comes later
                sync.sadd(RedisKeys.groups(mode, options.deadLetterTopic()), RedisKeys.bytes(settings.deadLetterGroup()));
            }
        } catch (RedisException e) {
            blocking.close();
            throw new ConnectionException("Redis refused to register the group '" + group + "' of '" + topic + "': " + e.getMessage(), e);
        }
    }

    private byte[] key(String part) {
        return RedisKeys.group(mode, topic, group, part);
    }

    @Override
    public void limitReadAhead(int most) {
        buffer.limit(most);
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        if (!buffer.isEmpty()) {
            return buffer.drain(max);
        }
        // take ahead up to the consumer's in-flight bound: one script call and one fsync serve many polls
        byte[] count = RedisKeys.bytes(Integer.toString(buffer.fetchSize(max, prefetch)));
        if (!blocking.awaitOpen(timeout)) {
            return List.of(); // the connection is down: the core's receive loop applies the connection-loss timeout
        }
        try {
            long nextIn = takeInto(count);
            if (nextIn == LOST) {
                return List.of();
            }
            if (buffer.isEmpty()) {
                long waitMs = Math.min(timeout.toMillis(), MAX_SLICE_MS);
                if (nextIn >= 0) {
                    waitMs = Math.min(waitMs, nextIn + 1);
                }
                long hint = takeBy;
                if (hint != Long.MAX_VALUE) {
                    waitMs = Math.min(waitMs, Math.max(0, (hint - System.nanoTime()) / 1_000_000 + 1));
                }
                // Redis takes a timeout under a millisecond as 0, which blocks forever
                if (blocking.await(blocking.async().blmove(waitKey, waitKey, LMoveArgs.Builder.rightRight(), Math.max(2, waitMs) / 1000.0)) == null
                        && !blocking.connection().isOpen()) {
                    return List.of(); // the connection went down while it waited
                }
                takeInto(count);
            }
            return buffer.drain(max);
        } catch (RedisCommandInterruptedException e) {
            throw new InterruptedException("interrupted while reading from Redis");
        } catch (RedisException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while reading from Redis");
            }
            throw new ConnectionException("reading group '" + group + "' of '" + topic + "' from Redis failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the take script into the read-ahead buffer; returns in how many ms the next entry is due (or -1), or {@link #LOST}
     * when the connection went down before the answer came.
     */
    private long takeInto(byte[] count) throws InterruptedException {
        if (takeBy != Long.MAX_VALUE && takeBy - System.nanoTime() <= 0) {
            takeBy = Long.MAX_VALUE; // this take sees what the hint was for
        }
        Object answer = blocking.await(take.run(blocking.async(), ScriptOutputType.MULTI, takeKeys, count,
                RedisKeys.bytes(Long.toString(ackWaitMs)), GIVE_BACK_LIMIT_ARG, TAKE_BYTES_ARG));
        if (answer == null) {
            return LOST;
        }
        List<Object> reply = RedisScript.multi(answer);
        deliveries(reply);
        return RedisScript.integer(reply.get(0));
    }

    /** Puts the deliveries of a take reply ({next, given back, id1, count1, value1, ...}) into the read-ahead buffer. */
    private void deliveries(List<Object> reply) {
        for (int i = 2; i + 2 < reply.size(); i += 3) {
            byte[] id = (byte[]) reply.get(i);
            int count = (int) Math.min(Integer.MAX_VALUE, RedisScript.integer(reply.get(i + 1)));
            byte[] value = (byte[]) reply.get(i + 2);
            Message message;
            try {
                message = QueueValues.decode(value);
            } catch (EnvelopeFormatException e) {
                LOG.warn("a value in group '{}' of '{}' has the anymq envelope's magic but does not decode; it is moved to {}: {}",
                        group, topic, new String(key("invalid"), java.nio.charset.StandardCharsets.UTF_8), e.getMessage());
                run("invalid", new Entry(id, count, null, null));
                continue;
            }
            buffer.add(new Entry(id, count, message, mode == RedisMode.LIST ? value : null));
        }
    }

    /** Runs the settle script for one entry now, outside the core's settlements (an undecodable value, a take-back on close). */
    private CompletableFuture<List<Long>> run(String op, Entry e) {
        return settleAll(java.util.Collections.singletonList(e.args(op, 0)));
    }

    /** The script takes many settlements per call: the core gathers them while a call runs. */
    @Override
    public int settlementBatch() {
        return SETTLE_BATCH;
    }

    @Override
    public CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        List<byte[][]> args = new ArrayList<>(batch.size());
        for (Settlement s : batch) {
            Entry e = (Entry) s.delivery();
            switch (s.kind()) {
                case ACK -> args.add(e.args("ack", 0));
                case REJECT -> args.add(e.args("reject", 0));
                case NACK, RELEASE -> {
                    long due = System.nanoTime() + s.delay().toNanos();
                    if (due < takeBy) {
                        takeBy = due;
                    }
                    args.add(e.args("nack", s.delay().toMillis()));
                }
            }
        }
        return settleAll(args).thenCompose(inFlight -> {
            // the list mode: an ack or reject that came after the ack timeout gave the value back to the list
            // takes it out if it still waits there
            List<byte[][]> late = new ArrayList<>();
            List<Integer> lateAt = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Settlement s = batch.get(i);
                Entry e = (Entry) s.delivery();
                if (e.value != null && inFlight.get(i) != 1L && (s.kind() == Settlement.Kind.ACK || s.kind() == Settlement.Kind.REJECT)) {
                    late.add(new byte[][]{RedisKeys.bytes("late"), e.id, RedisKeys.bytes("0"), e.value});
                    lateAt.add(i);
                }
            }
            CompletableFuture<List<Long>> after = late.isEmpty() ? CompletableFuture.completedFuture(List.of()) : settleAll(late);
            return after.thenApply(takenOut -> {
                List<Throwable> out = new ArrayList<>(java.util.Collections.nCopies(batch.size(), (Throwable) null));
                for (int i = 0; i < batch.size(); i++) {
                    Settlement s = batch.get(i);
                    int l = lateAt.indexOf(i);
                    boolean applied = inFlight.get(i) == 1L || (l >= 0 && takenOut.get(l) > 0);
                    if (!applied && s.kind() != Settlement.Kind.RELEASE) {
                        // the delivery moved on (the ack timeout gave it back, and it was taken again or is
                        // due again): this settlement did nothing, and says so
                        out.set(i, movedOn((Entry) s.delivery()));
                    }
                }
                return out;
            });
        });
    }

    private SettlementException movedOn(Entry e) {
        return new SettlementException(SettlementException.Reason.EXPIRED, "the ack timeout of message " + e.message().id()
                + " in group '" + group + "' of '" + topic + "' passed and it went back to the group: this settlement was not applied");
    }

    /**
     * Runs the settle script for settlements (four values each). Settlements are idempotent (each first checks that the delivery is still where it left
     * it), so a call that failed on a lost connection or a server that was loading is run again, for
     * up to the command timeout: an ack is not lost to a restart, and the message not delivered again
     * for that.
     */
    private CompletableFuture<List<Long>> settleAll(List<byte[][]> settlements) {
        byte[][] args = new byte[settlements.size() * 4][];
        int a = 0;
        for (byte[][] one : settlements) {
            System.arraycopy(one, 0, args, a, 4);
            a += 4;
        }
        return settle.<Object>runRetrying(shared, ScriptOutputType.MULTI, settleKeys, System.nanoTime() + retryNanos, true,
                clientClosed::get, args).thenApply(reply -> {
                    List<Object> each = RedisScript.multi(reply);
                    List<Long> out = new ArrayList<>(each.size());
                    for (Object o : each) {
                        out.add(RedisScript.integer(o));
                    }
                    return out;
                });
    }

    /** The take script gives back expired entries in Redis (any member's): the ack timeout holds when a member dies. */
    @Override
    public boolean enforcesAckTimeout() {
        return true;
    }

    /**
     * Entries taken ahead and never handed out go back to the group at once, their delivery counted
     * back down (they were not delivered); then the connection closes.
     */
    @Override
    public void close() {
        buffer.takeAll(e -> run("release", e));
        blocking.close();
    }

    /** One entry taken by this member: its delivery tag (list) or entry id (zset), its count and its message. */
    final class Entry extends BatchSettledDelivery {
        private final byte[] id;
        /** The list mode's value, for an ack or reject that comes after the entry was given back. */
        private final byte[] value;

        Entry(byte[] id, int count, Message message, byte[] value) {
            super(message == null ? Message.of(new byte[0]) : message, count, QueueConsumerDriver.this);
            this.id = id;
            this.value = value;
        }

        /** Its group's keys, as the settle script takes them. */
        byte[][] groupKeys() {
            return settleKeys;
        }

        /** Its delivery tag (list) or entry id (zset). */
        byte[] id() {
            return id;
        }

        SettlementException movedOn() {
            return QueueConsumerDriver.this.movedOn(this);
        }

        /** The settle script's four values for this entry. */
        byte[][] args(String op, long delayMs) {
            return mode == RedisMode.LIST
                    ? new byte[][]{RedisKeys.bytes(op), id, RedisKeys.bytes(Long.toString(delayMs)), NO_VALUE}
                    : new byte[][]{RedisKeys.bytes(op), id, RedisKeys.bytes(Integer.toString(deliveryCount())), RedisKeys.bytes(Long.toString(delayMs))};
        }
    }
}
