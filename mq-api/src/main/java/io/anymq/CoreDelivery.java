package io.anymq;

import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReservedHeaders;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The portable delivery: a state machine that lets exactly one settlement through, turns late and
 * double settlements into {@link SettlementException}, and routes exhausted or rejected messages to
 * the dead-letter topic before the driver forgets them.
 */
final class CoreDelivery implements Delivery {
    static final int UNSETTLED = 0;
    static final int SETTLED = 1;
    static final int EXPIRED = 2;
    static final int CONSUMER_CLOSED = 3;

    private static final AtomicIntegerFieldUpdater<CoreDelivery> STATE =
            AtomicIntegerFieldUpdater.newUpdater(CoreDelivery.class, "state");

    private final CoreConsumer consumer;
    private final DriverDelivery driverDelivery;
    final long deadlineNanos;
    private volatile int state;

    CoreDelivery(CoreConsumer consumer, DriverDelivery driverDelivery, long deadlineNanos) {
        this.consumer = consumer;
        this.driverDelivery = driverDelivery;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public Message message() {
        return driverDelivery.message();
    }

    @Override
    public String topic() {
        return consumer.topic();
    }

    @Override
    public String group() {
        return consumer.group();
    }

    @Override
    public int deliveryCount() {
        consumer.client().require(Capability.DELIVERY_COUNT, "Delivery.deliveryCount");
        return driverDelivery.deliveryCount();
    }

    @Override
    public CompletableFuture<Void> ack() {
        settle();
        return guard(driverDelivery.ack());
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        consumer.client().require(Capability.NACK_REDELIVERY, "Delivery.nack");
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("nack delay must be zero or positive: " + delay);
        }
        settle();
        int max = consumer.options().maxDeliveries();
        if (max > 0 && driverDelivery.deliveryCount() >= max && !consumer.driverHandlesDeadLetter()) {
            return deadLetter("max-deliveries");
        }
        return guard(driverDelivery.nack(delay));
    }

    @Override
    public CompletableFuture<Void> reject() {
        consumer.client().require(Capability.AT_LEAST_ONCE, "Delivery.reject");
        settle();
        if (consumer.options().deadLetterTopic() != null && !consumer.driverHandlesDeadLetter()) {
            return deadLetter("rejected");
        }
        return guard(driverDelivery.reject());
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
        consumer.settled();
        return deadLetter("max-deliveries");
    }

    /**
     * Moves the message to the dead-letter topic atomically where the driver can; otherwise sends it
     * there, then acks it. Without a dead-letter topic, rejects it. Sending first means a crash in
     * between duplicates, never loses.
     */
    private CompletableFuture<Void> deadLetter(String reason) {
        String dlq = consumer.options().deadLetterTopic();
        if (dlq == null) {
            return guard(driverDelivery.reject());
        }
        Message forwarded = message()
                .withHeader(ReservedHeaders.DEAD_LETTER_REASON, reason)
                .withHeader(ReservedHeaders.ORIGINAL_TOPIC, topic())
                .withHeader(ReservedHeaders.ORIGINAL_GROUP, group())
                .withHeader(ReservedHeaders.DELIVERY_COUNT, Integer.toString(driverDelivery.deliveryCount()));
        CompletableFuture<Void> atomic = driverDelivery.deadLetter(dlq, forwarded);
        if (atomic != null) {
            return guard(atomic);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        consumer.client().deadLetterProducer(dlq).sendInternal(forwarded).whenComplete((receipt, sendError) -> {
            if (sendError != null) {
                // keep the message: give it back to the group; it will be tried again
                driverDelivery.release();
                done.completeExceptionally(CoreProducer.asMessagingFailure(sendError));
            } else {
                driverDelivery.ack().whenComplete((v, ackError) -> {
                    if (ackError != null) {
                        done.completeExceptionally(CoreProducer.asMessagingFailure(ackError));
                    } else {
                        done.complete(null);
                    }
                });
            }
        });
        return done;
    }

    /** Moves UNSETTLED to SETTLED, or says why it cannot. */
    private void settle() {
        if (STATE.compareAndSet(this, UNSETTLED, SETTLED)) {
            consumer.settled();
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

    /** Takes the delivery back from the user (expiry, close) and gives the message back to the group. */
    boolean releaseAs(int newState) {
        if (!STATE.compareAndSet(this, UNSETTLED, newState)) {
            return false;
        }
        consumer.settled();
        driverDelivery.release();
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
