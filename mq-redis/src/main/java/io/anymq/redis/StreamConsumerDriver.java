package io.anymq.redis;

import io.anymq.ConnectionException;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.SettlementException;
import io.anymq.StartPosition;
import io.anymq.spi.BatchSettledDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReadAhead;
import io.anymq.spi.Settlement;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.PendingMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A member of a consumer group. New entries come with {@code XREADGROUP ... >} (blocking, on a
 * connection of its own); entries that stayed unacked longer than the ack wait, in any member's
 * pending list, are taken over with {@code XCLAIM} (their delivery counter, kept by Redis, rises).
 * A nack sets the entry's last-delivery time so that it becomes claimable when its delay is over:
 * the delay lives in Redis, not in this process.
 */
final class StreamConsumerDriver implements ConsumerDriver {
    private final String topic;
    private final byte[] key;
    private final byte[] group;
    private final Consumer<byte[]> me;
    private final long ackWaitMs;
    private final RedisConnections.Blocking blocking;
    private final RedisClusterAsyncCommands<byte[], byte[]> shared;
    private final int prefetch;
    /** Entries read ahead (pending under this member in Redis) and not handed out yet; only the polling thread touches it. */
    private final ReadAhead<Entry> buffer = new ReadAhead<>();
    private volatile long nextReclaim;
    /** Standalone Redis: one script may touch the dead-letter stream too (in a Cluster it lives in another slot). */
    private final boolean atomicDeadLetter;
    private final byte[] deadLetterMaxLength;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** The most settlements one {@link #settle} call carries. */
    static final int SETTLE_BATCH = 256;
    /**
     * How many of this member's pending entries the settle script reads in one range (the batch's lowest to highest
     * id) to check its settlements; when the range holds more, it checks each entry on its own.
     */
    private static final byte[] SETTLE_RANGE_LIMIT = Integer.toString(8 * SETTLE_BATCH).getBytes(StandardCharsets.UTF_8);
    /** Settle script calls under way at once on the pipelined connection (see {@link #settlementCalls()}). */
    static final int SETTLE_CALLS = 4;
    /** How long {@link #lag()} waits for Redis' answer. */
    private static final long LAG_TIMEOUT_SECONDS = 5;
    private static final byte[] ACK = "ack".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NACK = "nack".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_TIME = new byte[0];

    /**
     * Adds the dead-lettered entry to the dead-letter stream and acks it here, in one step; only while the
     * entry is still this delivery (as in {@code stream-settle.lua}), else nothing and 0.
     */
    private static final String DEAD_LETTER_SCRIPT = """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)[1]
            if not p or p[2] ~= ARGV[4] or tonumber(p[4]) ~= tonumber(ARGV[5]) then
              return 0
            end
            local fields = {}
            for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
            if tonumber(ARGV[3]) > 0 then
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
            else
              redis.call('XADD', KEYS[2], '*', unpack(fields))
            end
            return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            """;

    StreamConsumerDriver(RedisConnections.Connected redis, ConsumerOptions options, RedisSettings settings) {
        this.topic = options.topic();
        this.key = RedisKeys.stream(topic);
        this.group = options.group().getBytes(StandardCharsets.UTF_8);
        this.me = Consumer.from(group, ("c-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        this.ackWaitMs = (options.ackTimeout() != null ? options.ackTimeout() : settings.defaultAckWait()).toMillis();
        this.shared = redis.async();
        this.atomicDeadLetter = !redis.cluster();
        this.deadLetterMaxLength = Long.toString(settings.streamMaxLength()).getBytes(StandardCharsets.UTF_8);
        this.prefetch = Math.max(1, options.maxInFlight());
        this.blocking = redis.openBlocking();
        RedisClusterCommands<byte[], byte[]> sync = blocking.sync();
        try {
            sync.xgroupCreate(XReadArgs.StreamOffset.from(key, groupStart(options.startPosition())), group,
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // the group exists: it keeps its place
        } catch (RedisException e) {
            blocking.close();
            throw new ConnectionException("Redis refused the consumer group '" + options.group() + "' on '" + topic + "': " + e.getMessage(), e);
        }
    }

    /**
     * The id a new group is created at: it reads the entries after it. {@code 0} for the earliest, {@code $} for
     * the latest; for a time, the last id of the millisecond before, so that every entry of the time's
     * millisecond and after is read (entry ids are {@code <ms>-<seq>}, the server's clock).
     */
    static String groupStart(StartPosition start) {
        if (start == StartPosition.EARLIEST) {
            return "0";
        }
        if (!start.isTime()) {
            return "$";
        }
        long ms = start.time().toEpochMilli();
        return ms == 0 ? "0" : (ms - 1) + "-" + Long.toUnsignedString(-1L);
    }

    /**
     * The group's {@code lag} from {@code XINFO GROUPS} (Redis 7.0 and later): entries of the stream never delivered to the
     * group. Entries delivered and not acked, also nacked ones waiting to be taken over again, are in the group's
     * pending list and not counted. Empty where Redis cannot tell (before 7.0, or after entries were deleted from the
     * middle of the stream: Redis answers nil).
     */
    @Override
    public OptionalLong lag() {
        List<Object> groups;
        try {
            groups = shared.xinfoGroups(key).get(LAG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while asking Redis for the lag of '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException | RedisException e) {
            throw new ConnectionException("Redis did not say the lag of group '" + new String(group, StandardCharsets.UTF_8)
                    + "' on '" + topic + "': " + e, e);
        }
        for (Object g : groups) {
            if (g instanceof List<?> fields && matchesGroup(fields)) {
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("lag".equals(text(fields.get(i)))) {
                        return fields.get(i + 1) instanceof Long lag ? OptionalLong.of(lag) : OptionalLong.empty();
                    }
                }
                return OptionalLong.empty(); // no lag field: Redis before 7.0
            }
        }
        return OptionalLong.empty();
    }

    private boolean matchesGroup(List<?> fields) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("name".equals(text(fields.get(i)))) {
                return fields.get(i + 1) instanceof byte[] name && java.util.Arrays.equals(name, group);
            }
        }
        return false;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
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
        if (!blocking.awaitOpen(timeout)) {
            return List.of(); // the connection is down: the core's receive loop applies the connection-loss timeout
        }
        try {
            long now = System.currentTimeMillis();
            if (now >= nextReclaim) {
                List<DriverDelivery> claimed = reclaim(max);
                if (claimed == null) {
                    return List.of();
                }
                nextReclaim = claimed.size() == max ? 0 : now + Math.max(10, Math.min(ackWaitMs / 4, 500));
                if (!claimed.isEmpty()) {
                    return claimed;
                }
            }
            // read ahead up to the consumer's in-flight bound: one round trip serves many polls
            List<StreamMessage<byte[], byte[]>> fresh = blocking.await(blocking.async().xreadgroup(me,
                    XReadArgs.Builder.count(buffer.fetchSize(max, prefetch)).block(Math.max(1, timeout.toMillis())),
                    XReadArgs.StreamOffset.lastConsumed(key)));
            if (fresh == null) {
                return List.of(); // the connection went down while it waited
            }
            for (StreamMessage<byte[], byte[]> m : fresh) {
                buffer.add(new Entry(m.getId(), StreamEntries.fromFields(topic, m.getId(), m.getBody()), 1));
            }
            return buffer.drain(max);
        } catch (RedisCommandInterruptedException e) {
            throw new InterruptedException("interrupted while reading from Redis");
        } catch (RedisException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while reading from Redis");
            }
            throw new ConnectionException("reading from Redis stream '" + topic + "' failed: " + e.getMessage(), e);
        }
    }


    /**
     * Takes over entries that stayed unacked for the ack wait (or whose nack delay is over), in any member's pending list;
     * null when the connection went down meanwhile.
     */
    private List<DriverDelivery> reclaim(int max) throws InterruptedException {
        List<PendingMessage> pending = blocking.await(blocking.async().xpending(key, new XPendingArgs<byte[]>().group(group).idle(ackWaitMs)
                .range(Range.create("-", "+")).limit(Limit.from(max))));
        if (pending == null || pending.isEmpty()) {
            return pending == null ? null : List.of();
        }
        Map<String, Long> counts = new HashMap<>();
        String[] ids = new String[pending.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = pending.get(i).getId();
            counts.put(ids[i], pending.get(i).getRedeliveryCount());
        }
        List<StreamMessage<byte[], byte[]>> claimed = blocking.await(blocking.async().xclaim(key, me, XClaimArgs.Builder.minIdleTime(ackWaitMs), ids));
        if (claimed == null) {
            return null;
        }
        List<DriverDelivery> out = new ArrayList<>(claimed.size());
        for (StreamMessage<byte[], byte[]> m : claimed) {
            if (m.getBody() == null || m.getBody().isEmpty()) {
                shared.xack(key, group, m.getId()); // trimmed away while pending: nothing left to deliver
                continue;
            }
            long before = counts.getOrDefault(m.getId(), 1L);
            out.add(new Entry(m.getId(), StreamEntries.fromFields(topic, m.getId(), m.getBody()), (int) Math.min(Integer.MAX_VALUE, before + 1)));
        }
        return out;
    }

    @Override
    public boolean enforcesAckTimeout() {
        return true;
    }

    /** Read-ahead entries never handed out go back to the group at once; then the connection closes. */
    @Override
    public void close() {
        buffer.takeAll(Entry::release);
        blocking.close();
    }

    /** The script settles many entries per call: the core gathers the settlements that come while a call runs. */
    @Override
    public int settlementBatch() {
        return SETTLE_BATCH;
    }

    /**
     * Settle calls overlap: they go on one pipelined connection, and Redis runs them in the order they
     * were sent (with one at a time, the consumer ran at one settle script per round trip).
     */
    @Override
    public int settlementCalls() {
        return SETTLE_CALLS;
    }

    /**
     * One {@code stream-settle.lua} call for the batch: each settlement first checks that its entry is
     * still pending under this member with its delivery's count; one that moved on (claimed after the
     * ack timeout) is not applied and fails with EXPIRED (a release of it has nothing to give back).
     */
    @Override
    public CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        byte[][] args = new byte[5 + 4 * batch.size()][];
        args[0] = group;
        args[1] = me.getName();
        Entry lowest = null;
        Entry highest = null;
        int a = 5;
        long now = System.currentTimeMillis();
        for (Settlement s : batch) {
            Entry e = (Entry) s.delivery();
            lowest = lowest == null || e.before(lowest) ? e : lowest;
            highest = highest == null || highest.before(e) ? e : highest;
            boolean ack = s.kind() == Settlement.Kind.ACK || s.kind() == Settlement.Kind.REJECT;
            if (!ack && s.delay().isZero()) {
                nextReclaim = 0;
            }
            args[a++] = ack ? ACK : NACK;
            args[a++] = e.idBytes;
            args[a++] = e.countBytes;
            // a nack: the entry becomes claimable once the delay is over (its last delivery time: now + delay − ack wait)
            args[a++] = ack ? NO_TIME : Long.toString(now + s.delay().toMillis() - ackWaitMs).getBytes(StandardCharsets.UTF_8);
        }
        args[2] = lowest.idBytes;
        args[3] = highest.idBytes;
        args[4] = SETTLE_RANGE_LIMIT;
        return RedisScript.STREAM_SETTLE.<List<Object>>run(shared, io.lettuce.core.ScriptOutputType.MULTI, new byte[][]{key}, args)
                .thenApply(reply -> {
                    List<Throwable> out = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        Settlement s = batch.get(i);
                        boolean applied = RedisScript.integer(reply.get(i)) == 1L;
                        out.add(applied || s.kind() == Settlement.Kind.RELEASE ? null : ((Entry) s.delivery()).movedOn());
                    }
                    return out;
                });
    }

    /**
     * One stream entry delivered to this member (in its pending list). Its settlements go through
     * {@link #settle}, which checks that the entry is still this delivery: after the ack timeout another
     * member may have claimed it, and this delivery must not settle that one.
     */
    final class Entry extends BatchSettledDelivery {
        private final String id;
        private final byte[] idBytes;
        private final byte[] countBytes;

        /** The entry id's two parts, {@code <ms>-<seq>} (unsigned). */
        private final long ms;
        private final long seq;

        Entry(String id, Message message, int count) {
            super(message, count, StreamConsumerDriver.this);
            this.id = id;
            int dash = id.indexOf('-');
            this.ms = Long.parseUnsignedLong(id, 0, dash, 10);
            this.seq = Long.parseUnsignedLong(id, dash + 1, id.length(), 10);
            this.idBytes = id.getBytes(StandardCharsets.UTF_8);
            this.countBytes = Integer.toString(count).getBytes(StandardCharsets.UTF_8);
        }

        /** Whether this entry's id is lower than the other's (stream order). */
        boolean before(Entry other) {
            int c = Long.compareUnsigned(ms, other.ms);
            return c < 0 || c == 0 && Long.compareUnsigned(seq, other.seq) < 0;
        }

        /** The stream this entry is in. */
        String topic() {
            return topic;
        }

        byte[] group() {
            return group;
        }

        /** The member that received it: the one it must still be pending under. */
        byte[] consumer() {
            return me.getName();
        }

        byte[] idBytes() {
            return idBytes;
        }

        byte[] countBytes() {
            return countBytes;
        }

        SettlementException movedOn() {
            return new SettlementException(SettlementException.Reason.EXPIRED,
                    "the ack timeout of message " + message().id() + " (entry " + id + " of '" + topic
                            + "') passed and it was delivered again (to another member, or to this one): this settlement was not applied");
        }

        private CompletableFuture<Void> stillMine(Long done) {
            return done != null && done == 1L ? DONE : CompletableFuture.failedFuture(movedOn());
        }

        /** Standalone: XADD to the dead-letter stream and XACK here in one script; in a Cluster the core sends, then acks. */
        @Override
        public CompletableFuture<Void> deadLetter(String deadLetterTopic, Message forwarded) {
            if (!atomicDeadLetter) {
                return null;
            }
            Map<byte[], byte[]> fields = StreamEntries.toFields(forwarded);
            List<byte[]> args = new ArrayList<>(5 + 2 * fields.size());
            args.add(group);
            args.add(idBytes);
            args.add(deadLetterMaxLength);
            args.add(me.getName());
            args.add(countBytes);
            fields.forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
            byte[][] keys = {key, RedisKeys.stream(deadLetterTopic)};
            return shared.<Long>eval(DEAD_LETTER_SCRIPT, io.lettuce.core.ScriptOutputType.INTEGER, keys, args.toArray(byte[][]::new))
                    .toCompletableFuture().thenCompose(this::stillMine);
        }
    }
}
