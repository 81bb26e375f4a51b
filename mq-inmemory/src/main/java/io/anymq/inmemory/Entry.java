package io.anymq.inmemory;

import io.anymq.Message;
import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One message as one group tracks it, from the moment the group's cursor passes it until it is
 * acked or rejected. The same entry is the driver delivery of each of its delivery attempts (the
 * core lets exactly one settlement of an attempt through, and takes an attempt's count once, when the
 * member that polled it receives it). Fields are guarded by the group's lock.
 */
final class Entry implements DriverDelivery {
    static final CompletableFuture<Void> DONE_FUTURE = CompletableFuture.completedFuture(null);

    enum State { SCHEDULED, PARKED, READY, IN_FLIGHT, DONE }

    private static final java.lang.invoke.VarHandle STATE;

    static {
        try {
            STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Entry.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Group group;
    final long seq;
    final Message message;
    /**
     * Guarded by the group's lock; read by the member that polled this attempt (after the group's lock) or by the
     * threads it hands the delivery to. Not volatile: a volatile write costs a fence, and the take path wrote two.
     */
    int deliveries;
    /**
     * Written under the group's lock ({@link #moveTo}, a plain write: the lock orders it), except the lock-free move
     * to DONE of an entry that holds no key lock (a volatile write: {@link Group#finish}), which the group reads
     * under its lock. Null until the group takes the entry.
     */
    volatile State state;
    /** When a scheduled entry becomes due, in System.nanoTime() terms. */
    long dueNanos;
    /** Whether this entry holds its key's ordering lock in its group. */
    boolean holdsKey;

    Entry(Group group, long seq, Message message) {
        this.group = group;
        this.seq = seq;
        this.message = message;
    }

    /** Moves to a state under the group's lock: a plain write (the take path made three volatile writes per message). */
    void moveTo(State next) {
        STATE.set(this, next);
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public int deliveryCount() {
        return deliveries;
    }

    @Override
    public CompletableFuture<Void> ack() {
        group.finish(this);
        group.topic.entryFinished();
        return DONE_FUTURE;
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        group.redeliver(this, delay);
        return DONE_FUTURE;
    }

    @Override
    public CompletableFuture<Void> reject() {
        return ack();
    }
}
