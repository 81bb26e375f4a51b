package io.anymq;

import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The portable delivery: a state machine that lets exactly one settlement through and turns late and
 * double settlements into {@link SettlementException}. What a settlement does (the capability checks,
 * the dead-letter decision, the way to the driver) is the consumer's {@link Settlements}.
 */
final class CoreDelivery implements Delivery {
    static final int UNSETTLED = 0;
    static final int SETTLED = 1;
    static final int EXPIRED = 2;
    static final int CONSUMER_CLOSED = 3;
    /** Acked in a transaction that has not ended yet. */
    static final int IN_TRANSACTION = 4;
    /** Acked in a transaction that aborted: the message went back to the group. */
    static final int TRANSACTION_ABORTED = 5;
    /** The deadline of a delivery without an ack timeout. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final AtomicIntegerFieldUpdater<CoreDelivery> STATE =
            AtomicIntegerFieldUpdater.newUpdater(CoreDelivery.class, "state");

    private final Settlements settlements;
    private final DriverDelivery driverDelivery;
    /**
     * The delivery count as it was when the delivery was received (0 where the backend counts none): a later attempt
     * at the same message (after a nack, a release or the ack timeout) does not change what this one says, also where
     * a driver hands the same object for every attempt (mem:'s group entry).
     */
    private final int deliveryCount;
    /** When the ack timeout passes ({@link System#nanoTime()}), or {@link #NO_DEADLINE}. */
    final long deadlineNanos;
    private volatile int state;
    /** The interceptors' context; null when none is installed. */
    private final Interceptors.Received observed;

    /**
     * Whether the core gives the message back at the deadline (false where the broker redelivers by
     * itself) is the consumer's {@link Settlements#releaseOnExpiry}, and what tells the consumer that a
     * delivery left the unsettled state is its {@link Settlements#onSettled}: kept there, not here, so that
     * a delivery is 40 bytes with the count and the interceptors' field.
     */
    CoreDelivery(Settlements settlements, DriverDelivery driverDelivery, long deadlineNanos) {
        this.settlements = settlements;
        this.driverDelivery = driverDelivery;
        this.deadlineNanos = deadlineNanos;
        this.deliveryCount = settlements.countsDeliveries() ? driverDelivery.deliveryCount() : 0;
        this.observed = settlements.observe(driverDelivery, deliveryCount);
    }

    /** Tells the interceptors that the delivery is handed to the application. */
    void received() {
        if (observed != null) {
            settlements.interceptors.onReceive(observed);
        }
    }

    /** Tells the interceptors how the settlement ended, once it has; returns f when none is installed. */
    private CompletableFuture<Void> observed(CompletableFuture<Void> f, MessagingInterceptor.Outcome outcome) {
        if (observed == null) {
            return f;
        }
        if (f.isDone()) {
            settlements.interceptors.onSettle(observed, outcome, f.isCompletedExceptionally() ? failureOf(f) : null);
            return f;
        }
        return f.whenComplete((v, e) -> settlements.interceptors.onSettle(observed, outcome, e));
    }

    private static Throwable failureOf(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    @Override
    public Message message() {
        return driverDelivery.message();
    }

    @Override
    public String topic() {
        return settlements.topic();
    }

    @Override
    public String group() {
        return settlements.group();
    }

    @Override
    public int deliveryCount() {
        settlements.require(Capability.DELIVERY_COUNT, "Delivery.deliveryCount");
        return deliveryCount;
    }

    @Override
    public CompletableFuture<Void> ack() {
        settle();
        return guard(observed(settlements.ack(driverDelivery), MessagingInterceptor.Outcome.ACKED));
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        settlements.require(Capability.NACK_REDELIVERY, "Delivery.nack");
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("nack delay must be zero or positive: " + delay);
        }
        if (delay.compareTo(settlements.maxNackDelay) > 0) {
            throw new IllegalArgumentException(settlements.maxNackDelay.equals(MAX_NACK_DELAY)
                    ? "nack delay may be at most " + MAX_NACK_DELAY.toDays() + " days (Delivery.MAX_NACK_DELAY): " + delay
                    : "nack delay may be at most " + settlements.maxNackDelay + " on " + settlements.provider()
                            + " (Capabilities.maximumNackDelay): " + delay + "; the delivery is still unsettled");
        }
        String refusal = delay.isZero() ? null : driverDelivery.nackDelayRefusal(delay);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal + "; the delivery is still unsettled");
        }
        settle();
        if (settlements.exhaustedByNack(driverDelivery)) {
            return guard(observed(settlements.deadLetter(driverDelivery, "max-deliveries"), MessagingInterceptor.Outcome.DEAD_LETTERED));
        }
        return guard(observed(settlements.nack(driverDelivery, delay), MessagingInterceptor.Outcome.NACKED));
    }

    @Override
    public CompletableFuture<Void> reject() {
        settlements.require(Capability.AT_LEAST_ONCE, "Delivery.reject");
        settle();
        return guard(observed(settlements.deadLetter(driverDelivery, "rejected"), MessagingInterceptor.Outcome.REJECTED));
    }

    @Override
    public boolean isSettled() {
        return state != UNSETTLED;
    }

    /** Dead-letters a delivery the core itself found exhausted on arrival (count over the maximum). */
    CompletableFuture<Void> deadLetterOnArrival() {
        if (!STATE.compareAndSet(this, UNSETTLED, SETTLED)) {
            return CompletableFuture.completedFuture(null);
        }
        settlements.onSettled.run();
        return observed(settlements.deadLetter(driverDelivery, "max-deliveries"), MessagingInterceptor.Outcome.DEAD_LETTERED);
    }

    /**
     * Moves UNSETTLED to SETTLED, or says why it cannot. After the deadline the delivery expires first
     * (even before the sweep saw it): the message may be another member's by now.
     */
    private void settle() {
        if (!expireIfOverdue() && STATE.compareAndSet(this, UNSETTLED, SETTLED)) {
            settlements.onSettled.run();
            return;
        }
        throw refusal();
    }

    private SettlementException refusal() {
        return switch (state) {
            case EXPIRED -> new SettlementException(SettlementException.Reason.EXPIRED,
                    "the ack timeout of this delivery passed; message " + message().id() + " was returned to group '" + group() + "'");
            case CONSUMER_CLOSED -> new SettlementException(SettlementException.Reason.CONSUMER_CLOSED,
                    "the consumer closed; message " + message().id() + " was returned to group '" + group() + "'");
            case IN_TRANSACTION -> new SettlementException(SettlementException.Reason.ALREADY_SETTLED,
                    "delivery of message " + message().id() + " was acked in a transaction that has not ended yet");
            case TRANSACTION_ABORTED -> new SettlementException(SettlementException.Reason.ALREADY_SETTLED,
                    "the transaction that acked this delivery aborted; message " + message().id() + " was returned to group '" + group() + "'");
            default -> new SettlementException(SettlementException.Reason.ALREADY_SETTLED,
                    "delivery of message " + message().id() + " was already settled");
        };
    }

    // ---- a transaction's ack (CoreTransaction) ----

    /** Whether this delivery came from a consumer with these settlements (a consumer of the transaction's client). */
    boolean settledBy(Settlements s) {
        return settlements == s;
    }

    /** The driver's delivery, for the transaction's commit. */
    DriverDelivery driverDelivery() {
        return driverDelivery;
    }

    /** Reserves the delivery for a transaction's ack: no other settlement, no expiry, until the transaction ends. */
    void reserveForTransaction() {
        settlements.require(Capability.TRANSACTIONAL_ACK, "Transaction.ack");
        if (!expireIfOverdue() && STATE.compareAndSet(this, UNSETTLED, IN_TRANSACTION)) {
            return;
        }
        throw refusal();
    }

    /** The transaction committed (or its outcome is not known: the ack may have taken effect, so it is not given back). */
    void transactionEnded(Throwable failure) {
        if (STATE.compareAndSet(this, IN_TRANSACTION, SETTLED)) {
            settlements.onSettled.run();
            if (observed != null) {
                settlements.interceptors.onSettle(observed, MessagingInterceptor.Outcome.ACKED, failure);
            }
        }
    }

    /** The transaction aborted: the message goes back to the group, as after a release. */
    void transactionAborted() {
        if (STATE.compareAndSet(this, IN_TRANSACTION, TRANSACTION_ABORTED)) {
            settlements.onSettled.run();
            observed(settlements.release(driverDelivery), MessagingInterceptor.Outcome.RELEASED);
        }
    }

    /** Expires the delivery if its deadline passed; returns whether this call expired it. */
    boolean expireIfOverdue() {
        return deadlineNanos != NO_DEADLINE && System.nanoTime() - deadlineNanos >= 0 && expire();
    }

    /**
     * The ack timeout passed: the delivery leaves the user, and the message goes back to the group (the
     * core gives it back, or the broker redelivers it by itself). Returns whether this call expired it.
     */
    boolean expire() {
        if (settlements.releaseOnExpiry) {
            return releaseAs(EXPIRED);
        }
        if (!STATE.compareAndSet(this, UNSETTLED, EXPIRED)) {
            return false;
        }
        settlements.onSettled.run();
        if (observed != null) {
            settlements.interceptors.onSettle(observed, MessagingInterceptor.Outcome.EXPIRED, null);
        }
        return true;
    }

    /** Takes the delivery back from the user (expiry, close) and gives the message back to the group. */
    boolean releaseAs(int newState) {
        if (!STATE.compareAndSet(this, UNSETTLED, newState)) {
            return false;
        }
        settlements.onSettled.run();
        CompletableFuture<Void> f = settlements.release(driverDelivery);
        if (observed != null) {
            observed(f, newState == EXPIRED ? MessagingInterceptor.Outcome.EXPIRED : MessagingInterceptor.Outcome.RELEASED);
        }
        return true;
    }

    private static CompletableFuture<Void> guard(CompletableFuture<Void> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f;
        }
        return f.handle((v, e) -> {
            if (e != null) {
                throw CoreProducer.asMessagingFailure(e);
            }
            return null;
        });
    }

    @Override
    public String toString() {
        return "Delivery{topic=" + topic() + ", group=" + group() + ", message=" + message() + ", state=" + state + "}";
    }
}
