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
    /** The deadline of a delivery without an ack timeout. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final AtomicIntegerFieldUpdater<CoreDelivery> STATE =
            AtomicIntegerFieldUpdater.newUpdater(CoreDelivery.class, "state");

    private final Settlements settlements;
    private final DriverDelivery driverDelivery;
    /** Called once, when the delivery leaves the unsettled state (gives the consumer its room back). */
    private final Runnable onSettled;
    /** When the ack timeout passes ({@link System#nanoTime()}), or {@link #NO_DEADLINE}. */
    final long deadlineNanos;
    /** At the deadline the core gives the message back; false where the broker redelivers by itself. */
    private final boolean releaseOnExpiry;
    private volatile int state;

    CoreDelivery(Settlements settlements, DriverDelivery driverDelivery, Runnable onSettled, long deadlineNanos,
                 boolean releaseOnExpiry) {
        this.settlements = settlements;
        this.driverDelivery = driverDelivery;
        this.onSettled = onSettled;
        this.deadlineNanos = deadlineNanos;
        this.releaseOnExpiry = releaseOnExpiry;
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
        return driverDelivery.deliveryCount();
    }

    @Override
    public CompletableFuture<Void> ack() {
        settle();
        return guard(settlements.ack(driverDelivery));
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        settlements.require(Capability.NACK_REDELIVERY, "Delivery.nack");
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("nack delay must be zero or positive: " + delay);
        }
        settle();
        if (settlements.exhaustedByNack(driverDelivery)) {
            return guard(settlements.deadLetter(driverDelivery, "max-deliveries"));
        }
        return guard(settlements.nack(driverDelivery, delay));
    }

    @Override
    public CompletableFuture<Void> reject() {
        settlements.require(Capability.AT_LEAST_ONCE, "Delivery.reject");
        settle();
        return guard(settlements.deadLetter(driverDelivery, "rejected"));
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
        onSettled.run();
        return settlements.deadLetter(driverDelivery, "max-deliveries");
    }

    /**
     * Moves UNSETTLED to SETTLED, or says why it cannot. After the deadline the delivery expires first
     * (even before the sweep saw it): the message may be another member's by now.
     */
    private void settle() {
        if (!expireIfOverdue() && STATE.compareAndSet(this, UNSETTLED, SETTLED)) {
            onSettled.run();
            return;
        }
        throw switch (state) {
            case EXPIRED -> new SettlementException(SettlementException.Reason.EXPIRED,
                    "the ack timeout of this delivery passed; message " + message().id() + " was returned to group '" + group() + "'");
            case CONSUMER_CLOSED -> new SettlementException(SettlementException.Reason.CONSUMER_CLOSED,
                    "the consumer closed; message " + message().id() + " was returned to group '" + group() + "'");
            default -> new SettlementException(SettlementException.Reason.ALREADY_SETTLED,
                    "delivery of message " + message().id() + " was already settled");
        };
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
        if (releaseOnExpiry) {
            return releaseAs(EXPIRED);
        }
        if (!STATE.compareAndSet(this, UNSETTLED, EXPIRED)) {
            return false;
        }
        onSettled.run();
        return true;
    }

    /** Takes the delivery back from the user (expiry, close) and gives the message back to the group. */
    boolean releaseAs(int newState) {
        if (!STATE.compareAndSet(this, UNSETTLED, newState)) {
            return false;
        }
        onSettled.run();
        settlements.release(driverDelivery);
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
