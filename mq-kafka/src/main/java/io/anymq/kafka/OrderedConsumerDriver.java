package io.anymq.kafka;

import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.SettlementException;
import io.anymq.StartPosition;
import io.anymq.spi.AbstractDriverDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.OwnThread;
import io.anymq.spi.Failures;
import io.anymq.spi.ReadAhead;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A member of a consumer group ({@code mode=ordered}). The native consumer is not thread-safe: it is
 * only touched under {@link #lock}, by this member's polling thread (each poll the core asks for runs
 * there, and close: no interrupt of an application thread reaches the consumer) and by its committer
 * thread, and, for a transaction's commit or the lag, by the caller. Acks from any thread are recorded in the partition's {@link PartitionTracker} and committed
 * asynchronously by the polling thread (at most every {@code commit-interval}, with each poll after an ack);
 * when nobody polls (the application is busy or not receiving), the committer thread commits them
 * synchronously within about two of its ticks ({@link #COMMITTER_TICK_NANOS}); close commits them synchronously.
 * Nacks are queued and applied by the polling thread, which pauses the partition, and after the delay
 * seeks back to the lowest record given back and resumes. Records of that partition not handed out
 * yet wait behind the nacked one (order is kept); records already acked or still with the application
 * are skipped when the partition is read again, so a nack brings back only what was given back.
 */
final class OrderedConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedConsumerDriver.class);
    /**
     * How often the committer looks for acks nobody committed, and how long no poll must have started
     * before it commits them itself (a polling thread commits its own acks).
     */
    static final long COMMITTER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a commit on a rebalance or close may take. */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the committer's commit may take: a poll waits for it (at most its own wait, then it returns nothing). */
    private static final Duration COMMITTER_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@link #lag()} waits for a poll or commit under way to release the consumer. */
    private static final Duration LAG_LOCK_WAIT = Duration.ofSeconds(2);
    /** How long {@link #lag()} waits for the end offsets (and a position not known yet). */
    private static final Duration LAG_TIMEOUT = Duration.ofSeconds(5);
    /** After a failed commit the committer waits this long (a member out of the group fails until it polls again). */
    private static final long COMMITTER_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String topic;
    private final String group;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Partitions assigned now; polling thread only. */
    private final Map<TopicPartition, PartitionTracker> assigned = new HashMap<>();
    /** Fetched and not handed out yet; polling thread only. */
    private final ReadAhead<PartitionRecord> buffer = new ReadAhead<>();
    /** Partitions with nacked records waiting to be read again (paused while a delay runs); polling thread only. */
    private final Map<TopicPartition, Waiting> waiting = new HashMap<>();
    private final ConcurrentLinkedQueue<Rewind> rewinds = new ConcurrentLinkedQueue<>();
    /** A new group's start is pinned (committed) when it is first assigned: at the end, or at {@link #startTime}. */
    private final boolean pinStart;
    /** The time a new group starts at ({@code StartPosition.at}), or null. */
    private final Instant startTime;
    /** Held by whoever touches {@link #consumer} and the polling-thread state: the polling thread, the committer, close. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The thread every poll of {@link #consumer} (and close) runs on: nothing interrupts it ({@link #onPollingThread}). */
    private final OwnThread poller;
    /** Commits acks when nobody polls. */
    private final Thread committer;
    /** The least time between two commits of the polling thread (each is a write to the broker's offsets topic). */
    private final long commitIntervalNanos;
    /** Acks were recorded since the last commit was made. */
    private volatile boolean dirty;
    private volatile long lastPollNanos = System.nanoTime();
    /** When the Kafka consumer's own poll last ran ({@link System#nanoTime()}): what {@code max.poll.interval.ms} counts from. */
    private volatile long lastFetchNanos = System.nanoTime();
    /** The consumer's {@code max.poll.interval.ms}: a member whose Kafka consumer does not poll for longer leaves the group. */
    private final long maxPollIntervalNanos;
    private volatile boolean closing;
    /** Under {@link #lock}. */
    private long lastCommitNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    private record Rewind(PartitionTracker tracker, long offset, long resumeAtNanos) {
    }

    /** The nacked records of one partition and when the last of their delays ends. */
    private static final class Waiting {
        final PartitionTracker tracker;
        final List<Long> offsets = new ArrayList<>();
        long resumeAtNanos;
        boolean paused;

        Waiting(PartitionTracker tracker, long resumeAtNanos) {
            this.tracker = tracker;
            this.resumeAtNanos = resumeAtNanos;
        }
    }

    OrderedConsumerDriver(ConsumerOptions options, Map<String, Object> config, Admin admin, int partitions, Duration commitInterval) {
        this.topic = options.topic();
        this.group = options.group();
        this.commitIntervalNanos = commitInterval.toNanos();
        this.pinStart = options.startPosition() != StartPosition.EARLIEST;
        this.startTime = options.startPosition().time();
        Map<String, Object> c = new HashMap<>(config);
        c.put("enable.auto.commit", false);
        c.putIfAbsent("auto.offset.reset", pinStart ? "latest" : "earliest");
        c.putIfAbsent("group.protocol", "consumer");
        this.maxPollIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(String.valueOf(c.getOrDefault("max.poll.interval.ms", 300_000))));
        try {
            this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new io.anymq.ConfigurationException("Kafka refused the consumer settings: " + Failures.describe(e), e);
        }
        consumer.subscribe(List.of(topic), new Listener());
        this.poller = new OwnThread("anymq-kafka-poll-" + group);
        if (pinStart) {
            onPollingThread(() -> {
                lock.lock();
                try {
                    awaitStartingPoint(admin, partitions);
                } finally {
                    lock.unlock();
                }
                return null;
            });
        }
        this.committer = new Thread(this::commitWhileNobodyPolls, "anymq-kafka-commit-" + group);
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * A new group starts at the latest offset as of now, not as of its first assignment: until every
     * partition of the topic has a committed offset for the group, poll (buffering what comes) so that
     * this member's assignment pins the current end offsets.
     */
    private void awaitStartingPoint(Admin admin, int partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long nextCheck = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextCheck) {
                if (committedPartitions(admin) >= partitions) {
                    return;
                }
                nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            }
            fetchInto(MAX_POLL_WAIT);
        }
        LOG.warn("group '{}' on '{}': not every partition had a starting offset after 30 s", group, topic);
    }

    private int committedPartitions(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            return (int) offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null).count();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Runs on this member's polling thread ({@link #onPollingThread}), so that no interrupt of the caller reaches the
     * Kafka consumer: the caller's flag is set again when the poll returns, and the core sees it before its next poll.
     */
    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) {
        return onPollingThread(() -> pollHere(max, timeout));
    }

    /**
     * Runs a call of the Kafka consumer that may run the rebalance callbacks (a poll, close) on this member's own thread,
     * which nothing interrupts, and waits for it however often the caller is interrupted (its flag is set again after).
     * Kafka's consumer carries out the application-thread part of an assignment inside {@code poll}; when an interrupt
     * cut that short, it kept the new partitions assigned but never fetched them, until the next rebalance: a member
     * that received nothing, also long after the interrupts had stopped.
     */
    private <T> T onPollingThread(Callable<T> call) {
        return poller.call(call, RuntimeException.class);
    }

    private List<DriverDelivery> pollHere(int max, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        lastPollNanos = start;
        if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return List.of(); // the committer is waiting for the broker; the core polls again
        }
        try {
            housekeeping();
            if (!buffer.isEmpty() && System.nanoTime() - lastFetchNanos > maxPollIntervalNanos / 2) {
                // records fetched long ago: a poll of the Kafka consumer keeps the member in the group (half its
                // max.poll.interval.ms) or, past it, runs the lost-partitions callback, which drops what was buffered
                // for them, before any of it is handed out to be read again by their new owner
                fetchInto(Duration.ZERO);
            }
            if (buffer.isEmpty()) {
                fetchInto(Duration.ofNanos(Math.max(0, timeout.toNanos() - (System.nanoTime() - start))));
            }
            return buffer.drain(max);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw KafkaErrors.map(e, "polling Kafka topic '" + topic + "' for group '" + group + "' failed");
        } finally {
            lastPollNanos = System.nanoTime();
            lock.unlock();
        }
    }

    /**
     * The committer thread: while the application does not poll (it is busy with what it received, or
     * not receiving at all), the polling thread cannot commit; so every tick, acks that no poll committed
     * are committed here, synchronously (its own thread waits, not the application's).
     */
    private void commitWhileNobodyPolls() {
        long retryAt = System.nanoTime();
        while (!closing) {
            LockSupport.parkNanos(this, COMMITTER_TICK_NANOS);
            long now = System.nanoTime();
            if (closing || !dirty || now - lastPollNanos < COMMITTER_TICK_NANOS || now - retryAt < 0 || !lock.tryLock()) {
                continue;
            }
            try {
                if (!closing && dirty) {
                    dirty = false;
                    commitSync(assigned.values(), COMMITTER_TIMEOUT);
                }
            } catch (RuntimeException e) {
                dirty = true;
                retryAt = System.nanoTime() + COMMITTER_RETRY_NANOS;
                LOG.debug("committing offsets of group '{}' on '{}' failed; retrying in 1 s: {}", group, topic, e.toString());
            } finally {
                lock.unlock();
            }
        }
    }

    private void fetchInto(Duration slice) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(slice);
        lastFetchNanos = System.nanoTime();
        for (TopicPartition tp : records.partitions()) {
            PartitionTracker tracker = assigned.get(tp);
            if (tracker == null) {
                continue; // revoked while the fetch was under way: the new owner reads it
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (tracker.fetched(r.offset())) {
                    buffer.add(new PartitionRecord(tracker, r.offset(), KafkaRecords.fromRecord(r)));
                }
            }
        }
    }

    /**
     * Applies queued nacks, reads partitions again whose delay is over (from the lowest record given
     * back: a later nack never moves a partition past an earlier one), commits what acks allow.
     */
    private void housekeeping() {
        Rewind r;
        long now = System.nanoTime();
        while ((r = rewinds.poll()) != null) {
            PartitionTracker t = r.tracker();
            if (t.isRevoked() || assigned.get(t.partition()) != t) {
                continue;
            }
            Waiting w = waiting.computeIfAbsent(t.partition(), tp -> new Waiting(t, Long.MIN_VALUE));
            w.offsets.add(r.offset());
            w.resumeAtNanos = w.offsets.size() == 1 ? r.resumeAtNanos() : Math.max(w.resumeAtNanos, r.resumeAtNanos());
            long nacked = r.offset();
            // records after the nacked one that were fetched but not handed out wait behind it: read again later, in order
            buffer.removeIf(d -> {
                if (d.tracker == t && d.offset > nacked) {
                    t.givenBack(d.offset);
                    return true;
                }
                return false;
            });
        }
        for (Iterator<Map.Entry<TopicPartition, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Waiting> e = it.next();
            Waiting w = e.getValue();
            TopicPartition tp = e.getKey();
            if (w.resumeAtNanos - now > 0) {
                if (!w.paused) {
                    consumer.pause(List.of(tp));
                    w.paused = true;
                }
                continue;
            }
            w.offsets.forEach(w.tracker::givenBack);
            w.tracker.rereadFrom().ifPresent(offset -> consumer.seek(tp, offset));
            if (w.paused) {
                consumer.resume(List.of(tp));
            }
            it.remove();
        }
        if (dirty && now - lastCommitNanos >= commitIntervalNanos) {
            dirty = false;
            lastCommitNanos = now;
            Map<TopicPartition, OffsetAndMetadata> offsets = committable(assigned.values());
            if (!offsets.isEmpty()) {
                // no wait for the callback: it runs inside a later consumer call, and while the application takes records
                // from the read-ahead buffer the consumer is not called (the background thread sends the commit)
                consumer.commitAsync(offsets, (done, e) -> {
                    if (e == null) {
                        done.forEach((tp, om) -> {
                            PartitionTracker t = assigned.get(tp);
                            if (t != null) {
                                t.committed(om.offset());
                            }
                        });
                    } else {
                        dirty = true; // try again with the next poll
                        LOG.debug("committing offsets of group '{}' failed; retrying: {}", group, e.toString());
                    }
                });
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committable(Collection<PartitionTracker> trackers) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionTracker t : trackers) {
            OptionalLong o = t.committable();
            if (o.isPresent()) {
                offsets.put(t.partition(), new OffsetAndMetadata(o.getAsLong()));
            }
        }
        return offsets;
    }

    /** Commits what the trackers allow and waits for the broker (under {@link #lock}); throws when it refused. */
    private void commitSync(Collection<PartitionTracker> trackers, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(trackers);
        if (offsets.isEmpty()) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        consumer.commitSync(offsets, timeout);
        offsets.forEach((tp, om) -> {
            PartitionTracker t = assigned.get(tp);
            if (t != null) {
                t.committed(om.offset());
            }
        });
    }

    /** Commits on a rebalance or close: a failure is logged, as the acked records after the committed offset come again. */
    private void commitSyncOrWarn(Collection<PartitionTracker> trackers) {
        try {
            commitSync(trackers, COMMIT_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("committing offsets of group '{}' on '{}' failed; acked records after the last committed offset will come again: {}",
                    group, topic, e.toString());
        }
    }

    /**
     * The lag of this member's partitions: for each partition assigned to it, the end offset ({@code endOffsets}, one
     * round trip; the last stable offset under {@code isolation.level=read_committed}) minus the member's position, plus
     * the records fetched and not handed out yet. Not {@code currentLag}: that is the high watermark of the last fetch,
     * which does not move while the application does not receive (the case a lag gauge is for). Under {@link #lock},
     * like every use of the native consumer: waits at most {@link #LAG_LOCK_WAIT} for a poll or commit to finish. Empty
     * before the member has an assignment (it joins the group in its first polls), when the lock or the broker's answer
     * did not come in time, or after close.
     */
    @Override
    public OptionalLong lag() {
        try {
            if (closing || !lock.tryLock(LAG_LOCK_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                return OptionalLong.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while waiting to ask Kafka for the lag of '" + topic + "'", e);
        }
        try {
            if (closing) {
                return OptionalLong.empty();
            }
            Set<TopicPartition> partitions = consumer.assignment();
            if (partitions.isEmpty()) {
                return OptionalLong.empty();
            }
            long lag = buffer.size();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, LAG_TIMEOUT);
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                lag += Math.max(0, e.getValue() - consumer.position(e.getKey(), LAG_TIMEOUT));
            }
            return OptionalLong.of(lag);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return OptionalLong.empty(); // not now; the gauge asks again after its interval
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while asking Kafka for the lag of '" + topic + "'", null);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw KafkaErrors.map(e, "Kafka did not say the lag of group '" + group + "' on '" + topic + "'");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits what was acked (synchronously), then leaves the group; everything not acked is read again by the group.
     * On the polling thread: the revocation callbacks run inside the Kafka consumer's close, and an interrupt of the
     * caller must not cut them or the leaving short.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(committer);
        try {
            onPollingThread(() -> {
                lock.lock();
                try {
                    commitSyncOrWarn(assigned.values());
                } finally {
                    try {
                        consumer.close(Duration.ofSeconds(10));
                    } catch (RuntimeException e) {
                        LOG.debug("closing the Kafka consumer of group '{}': {}", group, e.toString());
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            });
        } finally {
            poller.close();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rebalances: commit and forget revoked partitions; start tracking (and pin, for a new group) assigned ones. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionTracker> leaving = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                PartitionTracker t = assigned.get(tp);
                if (t != null) {
                    leaving.add(t);
                }
            }
            commitSyncOrWarn(leaving);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                assigned.put(tp, new PartitionTracker(tp));
            }
            if (!pinStart || partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(10));
            Set<TopicPartition> fresh = new HashSet<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    fresh.add(tp);
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> pins = new HashMap<>();
            if (startTime != null) {
                // the first record with a timestamp at or after the time; none (all older): the end
                Map<TopicPartition, Long> query = new HashMap<>();
                fresh.forEach(tp -> query.put(tp, startTime.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
                Map<TopicPartition, Long> ends = consumer.endOffsets(fresh, Duration.ofSeconds(10));
                for (TopicPartition tp : fresh) {
                    OffsetAndTimestamp at = found.get(tp);
                    long offset = at != null ? at.offset() : ends.get(tp);
                    consumer.seek(tp, offset);
                    pins.put(tp, new OffsetAndMetadata(offset));
                }
            } else {
                for (TopicPartition tp : fresh) {
                    pins.put(tp, new OffsetAndMetadata(consumer.position(tp, Duration.ofSeconds(10))));
                }
            }
            consumer.commitSync(pins, Duration.ofSeconds(10));
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionTracker t = assigned.remove(tp);
                if (t != null) {
                    t.revoke();
                }
                waiting.remove(tp);
            }
            buffer.removeIf(d -> d.tracker.isRevoked());
        }
    }

    /** What a transaction does with the offsets that settle its acks: send them to the transaction and commit it. */
    interface TransactionCommit {
        void commit(Map<TopicPartition, OffsetAndMetadata> offsets, org.apache.kafka.clients.consumer.ConsumerGroupMetadata group);
    }

    /**
     * Settles records through a transaction (consume-process-produce): under the consumer's lock (no poll
     * and no commit of this member meanwhile), commits what plain acks allow and waits for it (so that no
     * earlier asynchronous commit can land after the transaction's), works out the offsets that settle the
     * records, lets the transaction send them with the group's metadata and commit, then marks them settled
     * and committed. A record whose partition was revoked, or whose earlier records are not settled, fails
     * the transaction before anything is sent.
     *
     * @throws IllegalStateException when the records cannot be settled by a transaction now (nothing was sent)
     */
    void commitInTransaction(List<DriverDelivery> deliveries, TransactionCommit work) {
        Map<PartitionTracker, List<Long>> byPartition = new HashMap<>();
        for (DriverDelivery d : deliveries) {
            PartitionRecord r = (PartitionRecord) d;
            if (r.tracker.isRevoked()) {
                throw new IllegalStateException("partition " + r.tracker.partition() + " was revoked from this consumer in a rebalance; "
                        + "offset " + r.offset + " goes to its new owner");
            }
            byPartition.computeIfAbsent(r.tracker, t -> new ArrayList<>()).add(r.offset);
        }
        lock.lock();
        try {
            commitSync(assigned.values(), COMMIT_TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            byPartition.forEach((t, acked) -> offsets.put(t.partition(), new OffsetAndMetadata(t.committableWith(acked))));
            work.commit(offsets, consumer.groupMetadata());
            byPartition.forEach((t, acked) -> {
                acked.forEach(t::settled);
                t.committed(offsets.get(t.partition()).offset());
            });
        } finally {
            lock.unlock();
        }
    }

    /** The records of a transaction whose outcome is not known: read again (the application may see them twice). */
    void rereadAfterUnknownOutcome(List<DriverDelivery> deliveries) {
        for (DriverDelivery d : deliveries) {
            PartitionRecord r = (PartitionRecord) d;
            rewinds.add(new Rewind(r.tracker, r.offset, System.nanoTime()));
        }
    }

    /**
     * Whether the Kafka consumer has not polled for longer than its {@code max.poll.interval.ms}: it has left the group
     * then, and its partitions are another member's, though the callback that says so runs only at its next poll. An
     * ack it took now would be counted for a partition it no longer owns, and its record read again by the new owner.
     */
    private boolean leftTheGroup() {
        return System.nanoTime() - lastFetchNanos > maxPollIntervalNanos;
    }

    /** The member a delivery came from, or null when it is not a record of an ordered consumer. */
    static OrderedConsumerDriver ownerOf(DriverDelivery d) {
        return d instanceof OrderedConsumerDriver.PartitionRecord r ? r.owner() : null;
    }

    /** A record of a partition this member owns, handed to the core. */
    private final class PartitionRecord extends AbstractDriverDelivery {
        final PartitionTracker tracker;
        final long offset;

        OrderedConsumerDriver owner() {
            return OrderedConsumerDriver.this;
        }

        /** The delivery count is 1: not declared in this mode, as a count kept here would not survive a crash. */
        PartitionRecord(PartitionTracker tracker, long offset, Message message) {
            super(message, 1);
            this.tracker = tracker;
            this.offset = offset;
        }

        @Override
        public CompletableFuture<Void> ack() {
            if (tracker.isRevoked() || leftTheGroup()) {
                return revoked();
            }
            tracker.settled(offset);
            dirty = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (tracker.isRevoked() || leftTheGroup()) {
                return revoked();
            }
            rewinds.add(new Rewind(tracker, offset, System.nanoTime() + delay.toNanos()));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reject() {
            return ack();
        }

        private CompletableFuture<Void> revoked() {
            String how = tracker.isRevoked() ? "was revoked from this consumer in a rebalance"
                    : "is no longer this consumer's: it left the group, as it did not poll Kafka for longer than max.poll.interval.ms ("
                            + TimeUnit.NANOSECONDS.toMillis(maxPollIntervalNanos) + " ms; receive more often, or raise kafka.max.poll.interval.ms)";
            return CompletableFuture.failedFuture(new SettlementException(SettlementException.Reason.REVOKED,
                    "partition " + tracker.partition() + " " + how + "; message " + message().id()
                            + " (offset " + offset + ") goes to the partition's new owner from the group's committed offset"));
        }
    }
}
