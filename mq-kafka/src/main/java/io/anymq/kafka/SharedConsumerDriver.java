package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReadAhead;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A member of a share group ({@code mode=shared}, KIP-932). Records come locked to this member for
 * the group's record lock duration; {@code ack} is ACCEPT, {@code nack} is RELEASE, {@code reject}
 * is REJECT, and the broker counts deliveries. The native consumer runs in explicit acknowledgement
 * mode and is only touched by the polling thread: settlements from any thread are queued and
 * applied there, and the next batch is fetched once every record of the last one is settled (the
 * native client's rule). A nack with a delay holds the record's lock until the delay is over and then
 * releases it; the delay must end before the lock does.
 */
final class SharedConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConsumerDriver.class);
    private static final long SLICE_MS = 100;
    /** How long before its lock ends a delayed release must happen at the latest. */
    private static final long LOCK_MARGIN_MS = 500;

    private final String topic;
    private final String group;
    private final Map<String, Object> config;
    /** Replaced when the native consumer fails for good (for example after a broker restart); polling thread only. */
    private KafkaShareConsumer<byte[], byte[]> consumer;
    /** Which native consumer a delivery came from; settlements of an earlier one are dropped (its locks have ended or will). */
    private volatile int generation;
    private final ReadAhead<Delivery> buffer = new ReadAhead<>();
    private final ConcurrentLinkedQueue<Settlement> settlements = new ConcurrentLinkedQueue<>();
    /** Releases waiting for their delay; polling thread only. */
    private final List<Settlement> delayed = new ArrayList<>();
    private final Object settledSignal = new Object();
    /** Whether the polling thread waits for settlements: only then does a settlement take the lock to wake it. */
    private volatile boolean awaitingSettlement;
    /** Records of the current batch not acknowledged to the native consumer yet; polling thread only. */
    private int unacknowledged;
    private volatile long lockMs;
    private volatile boolean wakeup;
    private long lastCommitNanos;

    private record Settlement(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type, long notBeforeNanos, int generation) {
    }

    SharedConsumerDriver(ConsumerOptions options, Map<String, Object> config, Admin admin, int partitions) {
        this.topic = options.topic();
        this.group = options.group();
        ShareGroups.prepare(admin, options, partitions);
        Map<String, Object> c = new HashMap<>(config);
        c.put("share.acknowledgement.mode", "explicit");
        this.lockMs = options.ackTimeout() != null ? options.ackTimeout().toMillis() : 30_000;
        this.config = c;
        this.consumer = newConsumer();
    }

    private KafkaShareConsumer<byte[], byte[]> newConsumer() {
        KafkaShareConsumer<byte[], byte[]> created;
        try {
            created = new KafkaShareConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ConfigurationException("Kafka refused the share consumer settings: " + KafkaErrors.describe(e), e);
        }
        created.setAcknowledgementCommitCallback((offsets, e) -> {
            if (e != null) {
                LOG.debug("share group '{}': acknowledgements of {} not committed (the broker will redeliver): {}", group, offsets, e.toString());
            }
        });
        created.subscribe(List.of(topic));
        return created;
    }

    /**
     * The native consumer failed in a way it does not recover from (a share group member in a fatal
     * state, as after a broker restart): replace it. Records it held come back when their locks end.
     */
    private void replaceConsumer(RuntimeException cause) {
        LOG.warn("share group '{}' on '{}': the Kafka share consumer failed ({}); reconnecting with a new member", group, topic,
                KafkaErrors.describe(cause));
        try {
            consumer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // it is broken already
        }
        generation++;
        buffer.takeAll(d -> { });
        delayed.clear();
        settlements.clear();
        unacknowledged = 0;
        consumer = newConsumer();
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                applySettlements();
                if (!buffer.isEmpty()) {
                    return buffer.drain(max);
                }
                long left = deadline - System.nanoTime();
                if (wakeup || left <= 0) {
                    return List.of();
                }
                long slice = Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MS));
                if (unacknowledged > 0) {
                    awaitSettlement(slice); // the native consumer fetches only when the last batch is all settled
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(slice))) {
                    buffer.add(new Delivery(r, System.nanoTime(), generation));
                    unacknowledged++;
                }
                consumer.acquisitionLockTimeoutMs().ifPresent(ms -> lockMs = ms);
                if (!buffer.isEmpty()) {
                    return buffer.drain(max);
                }
            }
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted while polling Kafka topic '" + topic + "'");
        } catch (WakeupException e) {
            return List.of();
        } catch (org.apache.kafka.common.errors.RetriableException e) {
            throw KafkaErrors.map(e, "polling Kafka topic '" + topic + "' for share group '" + group + "' failed");
        } catch (org.apache.kafka.common.errors.GroupIdNotFoundException e) {
            throw new ConfigurationException("Kafka refused share group '" + group + "': " + KafkaErrors.describe(e), e);
        } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
            replaceConsumer(e);
            return List.of();
        } finally {
            wakeup = false;
        }
    }


    /** Hands queued settlements to the native consumer (releases once their delay is over) and commits them. */
    private void applySettlements() {
        Settlement s;
        long now = System.nanoTime();
        boolean any = false;
        while ((s = settlements.poll()) != null) {
            if (s.generation() != generation) {
                continue;
            }
            if (s.notBeforeNanos() - now > 0) {
                delayed.add(s);
            } else {
                acknowledge(s);
                any = true;
            }
        }
        for (Iterator<Settlement> it = delayed.iterator(); it.hasNext(); ) {
            Settlement d = it.next();
            if (d.notBeforeNanos() - now <= 0) {
                it.remove();
                acknowledge(d);
                any = true;
            }
        }
        // the next fetch carries the acknowledgements; while part of the batch is still out, send them on their own, at most every 100 ms
        if (any && unacknowledged > 0 && now - lastCommitNanos >= TimeUnit.MILLISECONDS.toNanos(100)) {
            lastCommitNanos = now;
            consumer.commitAsync();
        }
    }

    private void acknowledge(Settlement s) {
        try {
            consumer.acknowledge(s.record(), s.type());
        } catch (IllegalStateException e) {
            LOG.debug("share group '{}': record {} could not be acknowledged ({}); the broker redelivers it", group, s.record().offset(), e.toString());
        }
        unacknowledged--;
    }

    private void awaitSettlement(long nanos) throws InterruptedException {
        long waitNanos = nanos;
        long now = System.nanoTime();
        for (Settlement d : delayed) {
            waitNanos = Math.min(waitNanos, Math.max(0, d.notBeforeNanos() - now));
        }
        if (waitNanos <= 0 || !settlements.isEmpty()) {
            return;
        }
        synchronized (settledSignal) {
            awaitingSettlement = true;
            try {
                if (settlements.isEmpty() && !wakeup) {
                    TimeUnit.NANOSECONDS.timedWait(settledSignal, waitNanos);
                }
            } finally {
                awaitingSettlement = false;
            }
        }
    }

    private CompletableFuture<Void> settle(Delivery d, AcknowledgeType type, Duration delay) {
        long notBefore = System.nanoTime() + delay.toNanos();
        CompletableFuture<Void> result = CompletableFuture.completedFuture(null);
        long lockEnds = d.acquiredNanos + TimeUnit.MILLISECONDS.toNanos(lockMs - LOCK_MARGIN_MS);
        if (!delay.isZero() && notBefore - lockEnds > 0) {
            notBefore = lockEnds;
            result = CompletableFuture.failedFuture(new ConfigurationException("a nack delay of " + delay.toMillis()
                    + " ms outlasts the record's lock (" + lockMs + " ms from its delivery, the share group's record lock duration): "
                    + "message " + d.message.id() + " comes back when the lock ends, sooner than asked. Use a shorter delay or a longer "
                    + "ack timeout (share.record.lock.duration.ms)"));
        }
        settlements.add(new Settlement(d.record, type, notBefore, d.generation));
        if (awaitingSettlement) {
            synchronized (settledSignal) {
                settledSignal.notifyAll();
            }
        }
        return result;
    }

    @Override
    public void wakeup() {
        wakeup = true;
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }

    /**
     * Applies the settlements that are due and leaves the group: what is not settled then, including
     * releases still within their delay, goes back to the group at once.
     */
    @Override
    public void close() {
        try {
            Settlement s;
            while ((s = settlements.poll()) != null) {
                if (s.generation() == generation) {
                    delayed.add(s);
                }
            }
            for (Settlement d : delayed) {
                acknowledge(d);
            }
            delayed.clear();
            buffer.takeAll(d -> acknowledge(new Settlement(d.record, AcknowledgeType.RELEASE, 0, generation)));
            consumer.commitSync(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debug("share group '{}': settling on close failed; the broker redelivers when the locks end: {}", group, e.toString());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.debug("closing the share consumer of group '{}': {}", group, e.toString());
            }
        }
    }

    /** One record, locked to this member. */
    private final class Delivery implements DriverDelivery {
        final ConsumerRecord<byte[], byte[]> record;
        final long acquiredNanos;
        final int generation;
        private final Message message;

        Delivery(ConsumerRecord<byte[], byte[]> record, long acquiredNanos, int generation) {
            this.record = record;
            this.acquiredNanos = acquiredNanos;
            this.generation = generation;
            this.message = KafkaRecords.fromRecord(record);
        }

        @Override
        public Message message() {
            return message;
        }

        @Override
        public int deliveryCount() {
            return record.deliveryCount().map(Short::intValue).orElse(1);
        }

        @Override
        public CompletableFuture<Void> ack() {
            return settle(this, AcknowledgeType.ACCEPT, Duration.ZERO);
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            return settle(this, AcknowledgeType.RELEASE, delay);
        }

        @Override
        public CompletableFuture<Void> reject() {
            return settle(this, AcknowledgeType.REJECT, Duration.ZERO);
        }
    }
}
