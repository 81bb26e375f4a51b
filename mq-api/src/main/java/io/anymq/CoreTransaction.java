package io.anymq;

import io.anymq.spi.ClientDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.TransactionWork;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The portable transaction: checks and stamps each send when it is made, reserves each acked delivery,
 * and hands the whole to the driver at commit ({@link ClientDriver#commit}). After the commit it settles
 * the reserved deliveries and completes the sends' futures; after an abort (or a commit known to have
 * taken no effect) it gives the deliveries back to their groups and fails the futures.
 */
final class CoreTransaction implements Transaction {
    private enum State { OPEN, COMMITTING, COMMITTED, ABORTED }

    private final CoreClient client;
    private final ClientDriver driver;
    private final List<TransactionWork.Send> sends = new ArrayList<>();
    private final List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
    /** The interceptors' context of each send, in order; null when none is installed. */
    private final List<Interceptors.Send> observed;
    private final List<CoreDelivery> acked = new ArrayList<>();
    private State state = State.OPEN;

    CoreTransaction(CoreClient client, ClientDriver driver) {
        this.client = client;
        this.driver = driver;
        this.observed = client.interceptors() == null ? null : new ArrayList<>();
    }

    @Override
    public synchronized CompletableFuture<Receipt> send(String topic, Message message) {
        ensureOpen();
        Names.checkTopic(topic);
        Message m = client.sendChecks().check(message, true).stampedFor(System.currentTimeMillis(), true, true);
        if (observed != null) {
            // interceptors see a transaction's send as it is made (a tracer adds its headers now) and its outcome at the end
            Interceptors.Send s = client.interceptors().beforeSend(topic, m);
            observed.add(s);
            m = s.message();
        }
        sends.add(new TransactionWork.Send(topic, m));
        CompletableFuture<Receipt> f = new CompletableFuture<>();
        receipts.add(f);
        return f;
    }

    @Override
    public synchronized void ack(Delivery delivery) {
        ensureOpen();
        client.require(Capability.TRANSACTIONAL_ACK, "Transaction.ack");
        if (delivery == null) {
            throw new IllegalArgumentException("delivery must not be null");
        }
        if (!(delivery instanceof CoreDelivery d) || !client.received(d)) {
            throw new IllegalArgumentException("a transaction acks only deliveries of its own client's open consumers: " + delivery);
        }
        d.reserveForTransaction();
        acked.add(d);
    }

    @Override
    public void commit() {
        TransactionWork work;
        synchronized (this) {
            ensureOpen();
            client.ensureOpen();
            state = State.COMMITTING;
            work = new TransactionWork(sends, driverDeliveries());
        }
        List<Receipt> done;
        try {
            done = work.sends().isEmpty() && work.acks().isEmpty() ? List.of() : driver.commit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ended(new TransactionException(TransactionException.Outcome.UNKNOWN,
                    "interrupted while the " + client.providerName() + " transaction committed: its outcome is not known", e));
        } catch (ExecutionException e) {
            throw ended(failure(e.getCause()));
        } catch (RuntimeException e) {
            throw ended(failure(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
        }
        if (done.size() != sends.size()) {
            throw ended(new TransactionException(TransactionException.Outcome.UNKNOWN, "the " + client.providerName()
                    + " driver confirmed the commit with " + done.size() + " receipts for " + sends.size() + " sends", null));
        }
        synchronized (this) {
            state = State.COMMITTED;
        }
        for (CoreDelivery d : acked) {
            d.transactionEnded(null);
        }
        for (int i = 0; i < done.size(); i++) {
            if (observed != null) {
                client.interceptors().afterSend(observed.get(i), done.get(i), null);
            }
            receipts.get(i).complete(done.get(i));
        }
    }

    private List<DriverDelivery> driverDeliveries() {
        List<DriverDelivery> out = new ArrayList<>(acked.size());
        for (CoreDelivery d : acked) {
            out.add(d.driverDelivery());
        }
        return out;
    }

    private TransactionException failure(Throwable cause) {
        if (cause instanceof TransactionException t) {
            return t;
        }
        return new TransactionException(TransactionException.Outcome.UNKNOWN, "the " + client.providerName()
                + " transaction did not confirm its commit (" + cause + "): it may or may not have taken effect", cause);
    }

    /** Ends a transaction whose commit failed; returns the error to throw. */
    private TransactionException ended(TransactionException e) {
        synchronized (this) {
            state = State.ABORTED;
        }
        for (CoreDelivery d : acked) {
            if (e.outcome() == TransactionException.Outcome.ABORTED) {
                d.transactionAborted();
            } else {
                d.transactionEnded(e);
            }
        }
        failSends(e);
        return e;
    }

    private void failSends(TransactionException e) {
        for (int i = 0; i < receipts.size(); i++) {
            if (observed != null) {
                client.interceptors().afterSend(observed.get(i), null, e);
            }
            receipts.get(i).completeExceptionally(e);
        }
    }

    @Override
    public void abort() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.ABORTED;
        }
        TransactionException e = new TransactionException(TransactionException.Outcome.ABORTED, "the transaction was aborted", null);
        for (CoreDelivery d : acked) {
            d.transactionAborted();
        }
        failSends(e);
    }

    @Override
    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public void close() {
        abort();
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the transaction is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + ": it takes no more sends, acks or commits");
        }
    }

    @Override
    public synchronized String toString() {
        return "Transaction{provider=" + client.providerName() + ", sends=" + sends.size() + ", acks=" + acked.size() + ", " + state + "}";
    }
}
