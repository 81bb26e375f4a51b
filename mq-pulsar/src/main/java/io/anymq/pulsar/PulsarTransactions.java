package io.anymq.pulsar;

import io.anymq.Receipt;
import io.anymq.TransactionException;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.TransactionWork;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.transaction.Transaction;
import org.apache.pulsar.client.api.transaction.TransactionCoordinatorClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A transaction as one Pulsar transaction: opened at commit, every send through a producer of the
 * transaction's kind (no send timeout, no batching: Pulsar's rule for transactional producers), every
 * ack with the transaction, then {@code commit()}. Pulsar keeps the sends from readers and the acks
 * pending until the commit; an abort drops both. Anything that fails before the commit aborts the
 * transaction ({@code ABORTED}); a commit the coordinator refuses is {@code ABORTED}; a commit whose
 * answer does not come is {@code UNKNOWN}.
 */
final class PulsarTransactions {
    /** How long Pulsar keeps a transaction open before it aborts it by itself. */
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final PulsarClient client;
    private final PulsarTopics topics;
    private final Duration operationTimeout;
    private final Map<String, Producer<byte[]>> producers = new ConcurrentHashMap<>();

    PulsarTransactions(PulsarClient client, PulsarTopics topics, Duration operationTimeout) {
        this.client = client;
        this.topics = topics;
        this.operationTimeout = operationTimeout;
    }

    List<Receipt> commit(TransactionWork work) {
        Transaction txn;
        try {
            txn = client.newTransaction().withTransactionTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).build()
                    .get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw aborted("interrupted while Pulsar opened the transaction", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw aborted("Pulsar could not open a transaction", cause(e));
        }
        List<CompletableFuture<?>> steps = new ArrayList<>();
        List<CompletableFuture<org.apache.pulsar.client.api.MessageId>> sent = new ArrayList<>();
        try {
            for (TransactionWork.Send s : work.sends()) {
                CompletableFuture<org.apache.pulsar.client.api.MessageId> f =
                        PulsarMessages.fill(producer(s.topic()).newMessage(txn), s.message()).sendAsync();
                sent.add(f);
                steps.add(f);
            }
            for (DriverDelivery d : work.acks()) {
                steps.add(((PulsarDelivery) d).ack(txn));
            }
            CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            txn.abort();
            throw aborted("interrupted during the transaction's sends and acks; it was aborted", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            txn.abort();
            throw aborted("a send or ack of the transaction failed, and it was aborted", cause(e));
        }
        try {
            txn.commit().get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unknown("interrupted while Pulsar committed the transaction", e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable c = cause(e);
            if (c instanceof TransactionCoordinatorClientException.TransactionNotFoundException
                    || c instanceof TransactionCoordinatorClientException.InvalidTxnStatusException
                    || c instanceof PulsarClientException.TransactionConflictException) {
                throw aborted("Pulsar did not commit the transaction", c);
            }
            throw unknown("the commit did not complete", c);
        } catch (TimeoutException e) {
            throw unknown("Pulsar did not answer the commit within " + operationTimeout, e);
        }
        List<Receipt> receipts = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            TransactionWork.Send s = work.sends().get(i);
            String position = sent.get(i).join().toString();
            receipts.add(new Receipt(s.topic(), s.message().id(), s.message().timestamp(), position));
        }
        return receipts;
    }

    private Producer<byte[]> producer(String topic) {
        return producers.computeIfAbsent(topics.ensure(topic), full -> {
            try {
                return client.newProducer().topic(full).sendTimeout(0, TimeUnit.MILLISECONDS).enableBatching(false)
                        .enableChunking(false).blockIfQueueFull(true).create();
            } catch (PulsarClientException e) {
                throw PulsarErrors.map(e, "Pulsar could not create a transactional producer for '" + topic + "'");
            }
        });
    }

    private static Throwable cause(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static TransactionException aborted(String what, Throwable cause) {
        return new TransactionException(TransactionException.Outcome.ABORTED, what + ": " + PulsarErrors.describe(cause)
                + " (nothing of it took effect)", cause);
    }

    private static TransactionException unknown(String what, Throwable cause) {
        return new TransactionException(TransactionException.Outcome.UNKNOWN, what + " (" + PulsarErrors.describe(cause)
                + "): the transaction may or may not have taken effect", cause);
    }

    void close() {
        for (Producer<byte[]> p : producers.values()) {
            p.closeAsync();
        }
        producers.clear();
    }
}
