package io.anymq.kafka;

import io.anymq.Receipt;
import io.anymq.TransactionException;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Failures;
import io.anymq.spi.TransactionWork;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Transactions on a transactional producer of the client's own (made at the first commit, with a
 * {@code transactional.id} unique to the client): {@code beginTransaction}, every send, {@code flush},
 * {@code commitTransaction}. Commits of one client run one at a time (a Kafka producer has at most one
 * open transaction). Readers in ordered mode read {@code read_committed}, so an aborted transaction's
 * records are never delivered. A send that fails, or an abortable error, aborts the transaction
 * ({@code ABORTED}); a commit that times out, or any error after {@code commitTransaction} began, is
 * {@code UNKNOWN}, and the producer is made again (its successor, with the same id, completes or aborts
 * what was left).
 */
final class KafkaTransactions {
    private final Map<String, Object> config;
    private final KafkaTopics topics;
    private KafkaProducer<byte[], byte[]> producer;

    KafkaTransactions(Map<String, Object> producerConfig, KafkaTopics topics) {
        this.config = new HashMap<>(producerConfig);
        this.config.put("transactional.id", "anymq-tx-" + UUID.randomUUID());
        this.config.put("client.id", "anymq-tx-producer-" + Long.toHexString(System.nanoTime() & 0xffffff));
        this.topics = topics;
    }

    synchronized List<Receipt> commit(TransactionWork work) {
        KafkaProducer<byte[], byte[]> p;
        try {
            p = producer();
            p.beginTransaction();
        } catch (KafkaException e) {
            reset();
            throw new TransactionException(TransactionException.Outcome.ABORTED,
                    "Kafka could not begin the transaction: " + Failures.describe(e) + " (nothing of it took effect)", e);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(work.sends().size());
        try {
            for (TransactionWork.Send s : work.sends()) {
                topics.ensure(s.topic());
                sent.add(p.send(KafkaRecords.toRecord(s.topic(), s.message())));
            }
            p.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(p);
            throw new TransactionException(TransactionException.Outcome.ABORTED, "interrupted during the transaction's sends; it was aborted", e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            abort(p);
            throw new TransactionException(TransactionException.Outcome.ABORTED, "a send of the transaction failed: "
                    + Failures.describe(cause) + "; it was aborted (nothing of it took effect)", cause);
        }
        if (work.acks().isEmpty()) {
            try {
                p.commitTransaction();
            } catch (KafkaException e) {
                throw unknown(e);
            }
        } else {
            commitWithOffsets(p, work.acks());
        }
        List<Receipt> receipts = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            TransactionWork.Send s = work.sends().get(i);
            RecordMetadata m;
            try {
                m = sent.get(i).get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("a send completed before the commit cannot fail now", e);
            }
            String id = s.message().id() != null ? s.message().id() : KafkaRecords.positionId(m.topic(), m.partition(), m.offset());
            receipts.add(new Receipt(s.topic(), id, s.message().timestamp(), m.partition() + "-" + m.offset()));
        }
        return receipts;
    }

    /**
     * Consume-process-produce: the acked records' offsets go into the transaction ({@code sendOffsetsToTransaction}
     * with the member's group metadata, so a member that lost its partitions is fenced) and commit with the sends.
     * All of a transaction's acks must come from one consumer.
     */
    private void commitWithOffsets(KafkaProducer<byte[], byte[]> p, List<DriverDelivery> acks) {
        OrderedConsumerDriver owner = OrderedConsumerDriver.ownerOf(acks.get(0));
        for (DriverDelivery d : acks) {
            if (owner == null || OrderedConsumerDriver.ownerOf(d) != owner) {
                abort(p);
                throw new TransactionException(TransactionException.Outcome.ABORTED, "a Kafka transaction acks the records of one "
                        + "consumer (one group member's offsets); this one acked records of several; it was aborted", null);
            }
        }
        boolean[] committing = {false};
        try {
            owner.commitInTransaction(acks, (offsets, group) -> {
                p.sendOffsetsToTransaction(offsets, group);
                committing[0] = true;
                p.commitTransaction();
            });
        } catch (KafkaException e) {
            if (committing[0]) {
                owner.rereadAfterUnknownOutcome(acks);
                throw unknown(e);
            }
            abort(p);
            throw new TransactionException(TransactionException.Outcome.ABORTED, "Kafka did not take the acked offsets into the "
                    + "transaction: " + Failures.describe(e) + "; it was aborted (nothing of it took effect)", e);
        } catch (IllegalStateException e) {
            abort(p);
            throw new TransactionException(TransactionException.Outcome.ABORTED, e.getMessage() + "; the transaction was aborted "
                    + "(nothing of it took effect)", e);
        }
    }

    /** A commit that began and did not confirm: the producer is made again, and its successor settles what is left. */
    private TransactionException unknown(KafkaException e) {
        reset();
        String what = e instanceof TimeoutException ? "Kafka did not confirm the commit in time" : "the commit failed";
        return new TransactionException(TransactionException.Outcome.UNKNOWN, what + " (" + Failures.describe(e)
                + "): the transaction may or may not have taken effect", e);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    private void abort(KafkaProducer<byte[], byte[]> p) {
        try {
            p.abortTransaction();
        } catch (KafkaException e) {
            reset(); // a fatal error: the next transaction starts on a new producer, which aborts what is left
        }
    }

    private void reset() {
        KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    synchronized void close() {
        reset();
    }
}
