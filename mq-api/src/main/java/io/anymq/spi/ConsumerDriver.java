package io.anymq.spi;

import java.time.Duration;
import java.util.List;

/**
 * Receives from one group of one topic. The core calls {@link #poll} from one thread at a time,
 * never asks for more than the consumer's free in-flight room, and does the settlement
 * bookkeeping, the ack timeout (unless {@link #enforcesAckTimeout()}), dead-lettering (unless
 * {@link #handlesDeadLetter()}) and push dispatch.
 */
public interface ConsumerDriver {

    /**
     * Waits up to the timeout for at least one delivery and returns up to {@code max}. Returns an
     * empty list on timeout or after {@link #wakeup()}.
     */
    List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException;

    /** Makes a blocked {@link #poll} return soon. Called from another thread (on close). */
    void wakeup();

    /**
     * Whether the broker itself redelivers a delivery that stays unsettled past the ack timeout
     * (Kafka share groups, JetStream's AckWait). When false, the core enforces the consumer's ack
     * timeout by nacking expired deliveries with no delay.
     */
    default boolean enforcesAckTimeout() {
        return false;
    }

    /**
     * Whether the broker dead-letters by itself after the maximum deliveries and on reject (for
     * example RabbitMQ's delivery-limit with a dead-letter exchange). When false, the core sends an
     * exhausted or rejected message to the dead-letter topic first and then acks it here: a crash
     * between the two may duplicate it in the dead-letter topic, never lose it.
     */
    default boolean handlesDeadLetter() {
        return false;
    }

    /** Releases resources. The core has released every unsettled delivery first. */
    void close();
}
