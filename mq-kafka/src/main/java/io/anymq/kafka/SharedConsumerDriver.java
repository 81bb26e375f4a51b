package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.SettlementException;
import io.anymq.spi.BatchSettledDelivery;
import io.anymq.spi.Coalescer;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Failures;
import io.anymq.spi.Settlement;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A member of a share group ({@code mode=shared}, KIP-932). Records come locked to this member for
 * the group's record lock duration; {@code ack} is ACCEPT, {@code nack} is RELEASE, {@code reject}
 * is REJECT, and the broker counts deliveries.
 *
 * <p>The native consumer runs in explicit acknowledgement mode on <b>one member thread</b> that owns
 * it: it applies settlements as they come (whether or not the application is receiving), sends them
 * to the broker, and completes each settlement's future when the broker has confirmed it (the
 * acknowledgement commit callback). It fetches only while the application asks for records and once
 * every record of the last batch is settled (the native client's rule). A nack with a delay holds the
 * record's lock until the delay is over and then releases it; the delay must end before the lock does.
 */
final class SharedConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConsumerDriver.class);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long before its lock ends a delayed release must happen at the latest. */
    private static final long LOCK_MARGIN_MS = 500;
    /** The broker's fetch wait the member asks for, unless the application set one (see the constructor). */
    private static final int FETCH_WAIT_MS = 100;
    /** The most settlements the core hands over at once. */
    private static final int SETTLEMENT_BATCH = 1024;

    private final String topic;
    private final String group;
    private final Map<String, Object> config;
    /** The client's admin (for the lag), and the topic's partitions when the member was made. */
    private final Admin admin;
    private final int partitions;
    private final Thread member;
    /** Guards {@link #buffer} and is the member thread's and the pollers' wake-up signal. */
    private final Object signal = new Object();
    /** Fetched and not handed to the core yet; guarded by {@link #signal}. */
    private final ArrayDeque<LockedRecord> buffer = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Pending> settlements = new ConcurrentLinkedQueue<>();

    // ---- member thread only ----
    /** Replaced when the native consumer fails for good (for example after a broker restart). */
    private KafkaShareConsumer<byte[], byte[]> consumer;
    /** Releases waiting for their delay. */
    private final List<Pending> delayed = new ArrayList<>();
    /** Settlements handed to the native consumer whose confirmation from the broker has not come yet. */
    private final Map<Acknowledged, CompletableFuture<Void>> unconfirmed = new HashMap<>();
    /** Records of the current batch not acknowledged to the native consumer yet. */
    private int unacknowledged;
    /**
     * Records renewed while they waited here ({@link #renewWaiting}), with when: the native consumer hands them out again
     * at its next poll, their lock running from the renewal.
     */
    private final Map<Acknowledged, Long> renewedAt = new HashMap<>();
    /** The broker refused a renewal as a request it does not know (before Kafka 4.2): records that wait are released. */
    private volatile boolean renewRefused;
    /** Whether acknowledgements were handed to the native consumer since it last talked to the broker. */
    private boolean unsent;
    /** Whether lock renewals are among them ({@link #renewWaiting}). */
    private boolean renewalsUnsent;
    private long lastCommitNanos;

    /** Which native consumer a delivery came from; settlements of an earlier one fail (its locks have ended or will). */
    private volatile int generation;
    /** The member fetches only until then: the application asked for records recently. */
    private volatile long wantedUntilNanos;
    private volatile long lockMs;
    /**
     * Set once the core paces this member ({@link #limitReadAhead}: a push subscription, or {@code receive}): what it hands
     * out may then wait up to {@link ConsumerDriver#handOffWindow} for the application, so a record is handed out only with
     * that much more of its lock left (what waits longer is renewed, {@link #renewWaiting}).
     */
    private volatile boolean paced;
    private volatile boolean closing;
    /** A failure the application must see (thrown by the next poll). */
    private volatile RuntimeException failure;

    /** A settlement on its way to the native consumer (a delayed release waits for its time). */
    private record Pending(LockedRecord delivery, AcknowledgeType type, long notBeforeNanos, CompletableFuture<Void> done) {
    }

    private record Acknowledged(TopicPartition partition, long offset) {
    }

    SharedConsumerDriver(ConsumerOptions options, Map<String, Object> config, Admin admin, int partitions) {
        this.topic = options.topic();
        this.group = options.group();
        this.admin = admin;
        this.partitions = partitions;
        ShareGroups.prepare(admin, options, partitions);
        Map<String, Object> c = new HashMap<>(config);
        c.put("share.acknowledgement.mode", "explicit");
        // the native consumer may send a fetch of its own after a poll that brought records; the broker holds it up to
        // this wait when nothing new is there, and an acknowledgement waits behind it (one request per broker at a time):
        // with the default 500 ms the first acks after a fetch took 200-450 ms (the application's kafka.* setting wins)
        c.putIfAbsent("fetch.max.wait.ms", FETCH_WAIT_MS);
        this.lockMs = options.ackTimeout() != null ? options.ackTimeout().toMillis() : 30_000;
        this.config = c;
        this.consumer = newConsumer();
        this.member = new Thread(this::run, "anymq-kafka-share-" + group);
        this.member.setDaemon(true);
        this.member.start();
    }

    private KafkaShareConsumer<byte[], byte[]> newConsumer() {
        KafkaShareConsumer<byte[], byte[]> created;
        try {
            created = new KafkaShareConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ConfigurationException("Kafka refused the share consumer settings: " + Failures.describe(e), e);
        }
        created.setAcknowledgementCommitCallback(this::confirmed);
        created.subscribe(List.of(topic));
        return created;
    }

    // ---- the application's side ----

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>();
        synchronized (signal) {
            RuntimeException f = failure;
            if (f != null) {
                failure = null;
                throw f;
            }
            long now = System.nanoTime();
            takeLive(max, now, out);
            if (out.isEmpty() && !closing) {
                wantedUntilNanos = now + timeout.toNanos() + SLICE_NANOS;
                signal.notifyAll();
                TimeUnit.NANOSECONDS.timedWait(signal, timeout.toNanos());
                takeLive(max, System.nanoTime(), out);
            }
        }
        return out;
    }

    @Override
    public void limitReadAhead(int most) {
        paced = most < Integer.MAX_VALUE; // the fetch itself stays max.poll.records: the share consumer's is fixed when it is made
    }

    /** How long after its acquisition a record may still be handed out. */
    private long handOutWithinNanos() {
        long within = TimeUnit.MILLISECONDS.toNanos(lockMs - LOCK_MARGIN_MS);
        return paced ? within - ConsumerDriver.handOffWindow(Duration.ofMillis(lockMs)).toNanos() : within;
    }

    /**
     * Takes buffered deliveries that can still be handed out in time. Ones too old for that but with their lock still
     * running stay for the member thread to renew ({@link #renewWaiting}; a poll's records are acquired together, so the
     * rest are as old); one whose lock is nearly over is given back (a release: the broker counts a delivery).
     */
    private void takeLive(int max, long now, List<DriverDelivery> out) {
        LockedRecord d;
        long within = handOutWithinNanos();
        long lockLeft = TimeUnit.MILLISECONDS.toNanos(lockMs - LOCK_MARGIN_MS);
        while (out.size() < max && (d = buffer.peek()) != null) {
            long age = now - d.acquiredNanos;
            if (age <= within) {
                out.add(buffer.poll());
            } else if (!renewRefused && age <= lockLeft - 2 * SLICE_NANOS) {
                signal.notifyAll(); // the member renews them within a slice
                return;
            } else {
                settlements.add(new Pending(buffer.poll(), AcknowledgeType.RELEASE, 0, null));
            }
        }
    }

    /** Settlements go to the member thread in batches the core gathers; each batch completes when the broker confirmed it. */
    @Override
    public int settlementBatch() {
        return SETTLEMENT_BATCH;
    }

    @Override
    public CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        if (!member.isAlive()) {
            Throwable closed = new SettlementException(SettlementException.Reason.CONSUMER_CLOSED,
                    "the consumer of share group '" + group + "' is closed; the records come back when their locks end");
            return CompletableFuture.completedFuture(java.util.Collections.nCopies(batch.size(), closed));
        }
        List<CompletableFuture<Void>> each = new ArrayList<>(batch.size());
        for (Settlement s : batch) {
            LockedRecord d = (LockedRecord) s.delivery();
            each.add(switch (s.kind()) {
                case ACK -> queue(d, AcknowledgeType.ACCEPT, Duration.ZERO);
                case NACK -> queue(d, AcknowledgeType.RELEASE, s.delay());
                case RELEASE -> queue(d, AcknowledgeType.RELEASE, Duration.ZERO);
                case REJECT -> queue(d, AcknowledgeType.REJECT, Duration.ZERO);
            });
        }
        synchronized (signal) {
            signal.notifyAll();
        }
        List<CompletableFuture<Throwable>> outcomes = new ArrayList<>(each.size());
        for (CompletableFuture<Void> f : each) {
            outcomes.add(f.handle((v, e) -> e == null ? null : Failures.unwrap(e)));
        }
        return Coalescer.allInOrder(outcomes);
    }

    /** Queues one settlement for the member thread; the future completes when the broker has it. */
    private CompletableFuture<Void> queue(LockedRecord d, AcknowledgeType type, Duration delay) {
        long notBefore = System.nanoTime() + delay.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> result = done;
        if (!delay.isZero()) {
            // the broker gets the release when the delay ends; the record stays locked to this member until then
            long lockEnds = d.lockEnds();
            if (notBefore - lockEnds > 0) {
                // the core asked first (nackDelayRefusal); the lock ran out between its question and now
                notBefore = lockEnds;
                result = CompletableFuture.failedFuture(new ConfigurationException(d.outlasted(delay)));
            } else {
                result = CompletableFuture.completedFuture(null);
            }
            done = null;
        }
        settlements.add(new Pending(d, type, notBefore, done));
        return result;
    }

    /**
     * Stops the member: applies the settlements that were made (releases still within their delay are
     * released now), waits for the broker to confirm, and leaves the group, which gives back what was
     * fetched and not handed out (see {@link #shutdown()}).
     */
    /** The share group's lag from the broker ({@link ShareGroups#lag}): acquired records not acknowledged yet count. */
    @Override
    public java.util.OptionalLong lag() {
        return ShareGroups.lag(admin, topic, group, partitions);
    }

    @Override
    public void close() {
        closing = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            member.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (member.isAlive()) {
            LOG.warn("share group '{}' on '{}': the member thread did not stop within 30 s", group, topic);
            member.interrupt();
        }
    }

    // ---- the member thread ----

    private void run() {
        while (!closing) {
            try {
                step();
            } catch (InterruptException | WakeupException e) {
                if (closing) {
                    break;
                }
            } catch (org.apache.kafka.common.errors.RetriableException e) {
                LOG.debug("share group '{}' on '{}': {}; retrying", group, topic, e.toString());
                pause(SLICE_NANOS);
            } catch (org.apache.kafka.common.errors.GroupIdNotFoundException e) {
                failure = new ConfigurationException("Kafka refused share group '" + group + "': " + Failures.describe(e), e);
                pause(TimeUnit.SECONDS.toNanos(1));
            } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
                replaceConsumer(e);
            } catch (RuntimeException e) {
                LOG.warn("share group '{}' on '{}': unexpected failure of the member thread; going on: {}", group, topic, e.toString());
                pause(SLICE_NANOS);
            }
        }
        shutdown();
    }

    /** One turn: apply settlements, renew what waits too long, then send settlements, fetch (if asked and allowed), or wait. */
    private void step() {
        applySettlements(false);
        renewWaiting();
        boolean wanted = wantedUntilNanos - System.nanoTime() > 0;
        boolean bufferEmpty;
        synchronized (signal) {
            bufferEmpty = buffer.isEmpty();
        }
        if (unsent || (!unconfirmed.isEmpty() && System.nanoTime() - lastCommitNanos > SLICE_NANOS)) {
            commit();
        } else if (unacknowledged == 0 && wanted && bufferEmpty) {
            fetch();
        } else {
            awaitWork();
        }
    }

    /**
     * Renews the locks of the fetched records that wait here so long that they could not be handed out any more
     * (member thread): they are one poll's records, acquired together. Giving them back instead (a RELEASE) would count
     * a delivery for each at the broker, and a member whose application takes records more slowly than a fetch brings
     * them gave the same records back again and again: they reached the application with counts up to the group's
     * limit, were dead-lettered on arrival over {@code maxDeliveries}, or archived by Kafka at its delivery limit.
     * The native consumer hands renewed records out again at its next poll (KIP-1222), with their count unchanged. The member
     * keeps what it fetched this way (at most {@code max.poll.records}) rather than leaving it to other members.
     */
    private void renewWaiting() {
        List<LockedRecord> waiting;
        long now = System.nanoTime();
        synchronized (signal) {
            LockedRecord oldest = buffer.peek();
            if (renewRefused || oldest == null || now - oldest.acquiredNanos <= handOutWithinNanos() - 2 * SLICE_NANOS) {
                return;
            }
            waiting = new ArrayList<>(buffer);
            buffer.clear();
        }
        for (LockedRecord d : waiting) {
            if (d.generation == generation) {
                try {
                    consumer.acknowledge(d.record, AcknowledgeType.RENEW);
                    renewedAt.put(new Acknowledged(partitionOf(d.record), d.record.offset()), now);
                    unsent = true;
                    renewalsUnsent = true; // sent by the step that called this, before any fetch
                } catch (IllegalStateException e) {
                    LOG.debug("share group '{}': renewing the lock of {} failed: {}", group, d.record.offset(), e.toString());
                }
                unacknowledged--;
            }
        }
    }

    /**
     * Sends the settlements and renewals handed to the native consumer, on their own and before any fetch (member
     * thread); the callback confirms (or fails) each settlement. Carried by the next fetch instead, they were answered only
     * after the broker's fetch wait when nothing new was there: an application receiving one at a time waited 600 ms
     * per ack, and renewed records came back 500 ms into a 2 s lock. A broker that refuses renewals as a request it does
     * not know (before Kafka 4.2) makes the member release waiting records from then on.
     */
    private void commit() {
        boolean renewals = renewalsUnsent;
        unsent = false;
        renewalsUnsent = false;
        lastCommitNanos = System.nanoTime();
        var results = consumer.commitSync(Duration.ofSeconds(10));
        if (!renewals) {
            return;
        }
        for (java.util.Optional<org.apache.kafka.common.KafkaException> e : results.values()) {
            if (e.isPresent() && (e.get() instanceof org.apache.kafka.common.errors.UnsupportedVersionException
                    || e.get() instanceof org.apache.kafka.common.errors.InvalidRequestException)) {
                renewRefused = true;
                LOG.warn("share group '{}' on '{}': the broker refused to renew record locks ({}); records that wait for the "
                        + "application are released instead, which counts a delivery each (Kafka 4.2+ renews, KIP-1222)",
                        group, topic, e.get().toString());
            }
        }
    }

    private void fetch() {
        List<LockedRecord> fetched = new ArrayList<>();
        int gen = generation;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(SLICE_NANOS))) {
            Long renewed = renewedAt.isEmpty() ? null : renewedAt.get(new Acknowledged(partitionOf(r), r.offset()));
            fetched.add(new LockedRecord(r, renewed != null ? renewed : System.nanoTime(), gen));
        }
        if (!fetched.isEmpty()) {
            renewedAt.clear(); // the poll after a renewal hands every renewed record out again
        }
        consumer.acquisitionLockTimeoutMs().ifPresent(ms -> lockMs = ms);
        if (!fetched.isEmpty()) {
            unacknowledged += fetched.size();
            synchronized (signal) {
                buffer.addAll(fetched);
                signal.notifyAll();
            }
        }
    }

    /** Waits for a settlement, a request for records, a delay's end or close; at most one slice. */
    private void awaitWork() {
        long wait = SLICE_NANOS;
        long now = System.nanoTime();
        for (Pending d : delayed) {
            wait = Math.min(wait, Math.max(0, d.notBeforeNanos() - now));
        }
        if (!unconfirmed.isEmpty()) {
            wait = Math.min(wait, Math.max(0, lastCommitNanos + SLICE_NANOS - now));
        }
        synchronized (signal) {
            boolean fetchable = unacknowledged == 0 && buffer.isEmpty() && wantedUntilNanos - now > 0;
            if (wait > 0 && settlements.isEmpty() && !fetchable && !closing) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
        }
    }

    /** Hands settlements to the native consumer (releases once their delay is over; all of them when closing). */
    private void applySettlements(boolean all) {
        Pending s;
        long now = System.nanoTime();
        while ((s = settlements.poll()) != null) {
            if (!all && s.notBeforeNanos() - now > 0) {
                delayed.add(s);
            } else {
                acknowledge(s);
            }
        }
        for (Iterator<Pending> it = delayed.iterator(); it.hasNext(); ) {
            Pending d = it.next();
            if (all || d.notBeforeNanos() - now <= 0) {
                it.remove();
                acknowledge(d);
            }
        }
    }

    private void acknowledge(Pending s) {
        LockedRecord d = s.delivery();
        if (d.generation != generation) {
            fail(s.done(), revoked(d, "the member was replaced after a failure; the record's lock ends and the group sees it again"));
            return;
        }
        try {
            consumer.acknowledge(d.record, s.type());
            unsent = true;
            if (s.done() != null) {
                CompletableFuture<Void> earlier = unconfirmed.put(new Acknowledged(partitionOf(d.record), d.record.offset()), s.done());
                fail(earlier, revoked(d, "settled again before the broker confirmed"));
            }
        } catch (IllegalStateException e) {
            fail(s.done(), revoked(d, "the native consumer no longer holds the record (" + e.getMessage() + ")"));
        }
        unacknowledged--;
    }

    /** The acknowledgement commit callback (member thread): the broker has the settlements, or refused them. */
    private void confirmed(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        offsets.forEach((tip, set) -> {
            for (long offset : set) {
                CompletableFuture<Void> f = unconfirmed.remove(new Acknowledged(tip.topicPartition(), offset));
                if (f == null) {
                    continue;
                }
                if (error == null) {
                    f.complete(null);
                } else if (error instanceof InvalidRecordStateException) {
                    // the lock ends with the ack timeout (the lock duration is the consumer's ack timeout): EXPIRED, as on every backend
                    f.completeExceptionally(new SettlementException(SettlementException.Reason.EXPIRED,
                            "the broker no longer held record " + tip.topicPartition() + "@" + offset + " for this member (its lock had ended): "
                                    + "the group sees it again"));
                } else {
                    f.completeExceptionally(KafkaErrors.map(error, "the broker did not confirm the settlement of record "
                            + tip.topicPartition() + "@" + offset + " of share group '" + group + "'"));
                }
            }
        });
    }

    /**
     * The native consumer failed in a way it does not recover from (a share group member in a fatal
     * state, as after a broker restart): replace it. Records it held come back when their locks end.
     */
    private void replaceConsumer(RuntimeException cause) {
        LOG.warn("share group '{}' on '{}': the Kafka share consumer failed ({}); reconnecting with a new member", group, topic,
                Failures.describe(cause));
        try {
            consumer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // it is broken already
        }
        generation++;
        synchronized (signal) {
            buffer.clear();
        }
        renewedAt.clear();
        SettlementException gone = new SettlementException(SettlementException.Reason.REVOKED,
                "the Kafka share consumer of group '" + group + "' failed before the broker confirmed this settlement; the record comes back");
        unconfirmed.values().forEach(f -> f.completeExceptionally(gone));
        unconfirmed.clear();
        delayed.clear();
        unacknowledged = 0;
        try {
            consumer = newConsumer();
        } catch (RuntimeException e) {
            failure = e instanceof ConfigurationException ? e : KafkaErrors.map(e, "reconnecting share group '" + group + "' failed");
            pause(TimeUnit.SECONDS.toNanos(1));
        }
    }

    /**
     * On close (member thread): settle everything, confirm, leave. What was fetched and never handed
     * out is not acknowledged: closing the native consumer ends the member's share session, and the
     * broker releases the records still acquired by it. The broker counted a delivery for each when it
     * acquired it, and whether the release takes that back depends on the broker: Kafka 4.1 did
     * (KAFKA-17541, {@code DeliveryCountOps.DECREASE}); since KAFKA-19972 (in the 4.4 broker) it keeps
     * the count ({@code DeliveryCountOps.NO_OP}), as an explicit RELEASE does. Leaving them to the
     * broker is never worse than a RELEASE; members that come and go still use up the delivery limit
     * of records nobody saw (see the module README).
     */
    private void shutdown() {
        try {
            synchronized (signal) {
                // not acknowledged at all: when the member leaves, the broker releases what it still holds
                // for it and takes back the delivery count (an explicit RELEASE would keep the count)
                buffer.clear();
            }
            applySettlements(true);
            consumer.commitSync(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debug("share group '{}': settling on close failed; the broker redelivers when the locks end: {}", group, e.toString());
        } finally {
            SettlementException closed = new SettlementException(SettlementException.Reason.CONSUMER_CLOSED,
                    "the consumer of share group '" + group + "' closed before the broker confirmed this settlement; the record may come back");
            unconfirmed.values().forEach(f -> f.completeExceptionally(closed));
            unconfirmed.clear();
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.debug("closing the share consumer of group '{}': {}", group, e.toString());
            }
        }
    }

    private void pause(long nanos) {
        synchronized (signal) {
            if (closing) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(signal, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> r) {
        return new TopicPartition(r.topic(), r.partition());
    }

    private static void fail(CompletableFuture<Void> f, RuntimeException e) {
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    private SettlementException revoked(LockedRecord d, String why) {
        return new SettlementException(SettlementException.Reason.REVOKED,
                "message " + d.message().id() + " of share group '" + group + "': " + why);
    }

    /** A record the share group locked to this member. */
    private final class LockedRecord extends BatchSettledDelivery {
        final ConsumerRecord<byte[], byte[]> record;
        final long acquiredNanos;
        final int generation;

        LockedRecord(ConsumerRecord<byte[], byte[]> record, long acquiredNanos, int generation) {
            super(KafkaRecords.fromRecord(record), record.deliveryCount().map(Short::intValue).orElse(1), SharedConsumerDriver.this);
            this.record = record;
            this.acquiredNanos = acquiredNanos;
            this.generation = generation;
        }

        /** When the record's lock ends for a nack's delay ({@link System#nanoTime()}), less the margin. */
        long lockEnds() {
            return acquiredNanos + TimeUnit.MILLISECONDS.toNanos(lockMs - LOCK_MARGIN_MS);
        }

        @Override
        public String nackDelayRefusal(Duration delay) {
            return System.nanoTime() + delay.toNanos() - lockEnds() > 0 ? outlasted(delay) : null;
        }

        String outlasted(Duration delay) {
            return "a nack delay of " + delay.toMillis() + " ms outlasts the record's lock (" + lockMs + " ms from its delivery, the "
                    + "share group's record lock duration, less " + LOCK_MARGIN_MS + " ms): message " + message().id() + " would come back "
                    + "when the lock ends, sooner than asked. Use a shorter delay or a longer ack timeout (share.record.lock.duration.ms)";
        }
    }
}
