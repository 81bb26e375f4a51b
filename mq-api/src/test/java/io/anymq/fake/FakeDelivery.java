package io.anymq.fake;

import io.anymq.Message;
import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted delivery that records each settlement call the core makes on it. */
public final class FakeDelivery implements DriverDelivery {
    private final Message message;
    private final int deliveryCount;
    /** Settlement calls: {@code ack}, {@code nack PT1S}, {@code reject}, {@code release}. */
    public final List<String> settlements = new CopyOnWriteArrayList<>();
    /** When set, the delivery dead-letters atomically itself (recorded as {@code dead-letter TOPIC REASON}). */
    public volatile boolean atomicDeadLetter;
    /** When set, {@code ack}, {@code nack} and {@code reject} throw it instead of settling (a driver's synchronous failure). */
    public volatile RuntimeException settleThrows;
    /** When set, what {@code nackDelayRefusal} answers for every delay (a bound of this delivery's own). */
    public volatile String nackDelayRefusal;
    /** When set, {@code release} throws it instead of releasing. */
    public volatile RuntimeException releaseThrows;

    FakeDelivery(Message message, int deliveryCount) {
        this.message = message;
        this.deliveryCount = deliveryCount;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public CompletableFuture<Void> ack() {
        throwIfSet(settleThrows);
        return record("ack");
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        throwIfSet(settleThrows);
        return record("nack " + delay);
    }

    @Override
    public String nackDelayRefusal(Duration delay) {
        return nackDelayRefusal;
    }

    @Override
    public CompletableFuture<Void> reject() {
        throwIfSet(settleThrows);
        return record("reject");
    }

    @Override
    public CompletableFuture<Void> release() {
        throwIfSet(releaseThrows);
        return record("release");
    }

    @Override
    public CompletableFuture<Void> deadLetter(String deadLetterTopic, Message forwarded) {
        return atomicDeadLetter ? record("dead-letter " + deadLetterTopic + " " + forwarded.header(io.anymq.spi.ReservedHeaders.DEAD_LETTER_REASON)) : null;
    }

    /** The call as {@link #settlements} records it, through a driver's batch. */
    void recordBatched(io.anymq.spi.Settlement s) {
        settlements.add(switch (s.kind()) {
            case ACK -> "ack";
            case NACK -> "nack " + s.delay();
            case REJECT -> "reject";
            case RELEASE -> "release";
        });
    }

    private static void throwIfSet(RuntimeException e) {
        if (e != null) {
            throw e;
        }
    }

    private CompletableFuture<Void> record(String call) {
        settlements.add(call);
        return CompletableFuture.completedFuture(null);
    }
}
