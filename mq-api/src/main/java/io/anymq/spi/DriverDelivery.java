package io.anymq.spi;

import io.anymq.Message;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One delivery as a driver sees it. The core guarantees that exactly one settlement method is
 * called, once; the driver only talks to its broker.
 *
 * <p>A settlement that fails reports it through its future. One that throws instead is taken as not
 * carried out: the core fails the settlement's future with what was thrown and, for an ack, a nack, a
 * reject or a dead-letter, gives the message back with {@link #release()} (so that it does not stay in
 * flight for good); the ack timeout's sweep and the consumer's close go on past a release that throws.
 */
public interface DriverDelivery {

    /** The message, as it was sent (id, timestamp, key, headers, payload). */
    Message message();

    /** 1 on the first delivery to the group; only read when the driver declares {@code DELIVERY_COUNT}. */
    int deliveryCount();

    /**
     * Done: never again for this group.
     *
     * @return completes when the broker has the ack
     */
    CompletableFuture<Void> ack();

    /** Redeliver no sooner than after the delay, counting one more delivery. */
    CompletableFuture<Void> nack(Duration delay);

    /**
     * Why this delivery cannot be held back for {@code delay} now, where the bound is the delivery's own (a lock that ends
     * at a time counted from its delivery); null when it can. The core asks before it settles the delivery and refuses the
     * nack with an {@link IllegalArgumentException} carrying this text, so that the application can still settle it
     * otherwise. A bound the same for every delivery is declared once instead ({@code Capabilities.maximumNackDelay}).
     *
     * @param delay the delay asked for, more than zero and within the client's maximum
     * @return the reason, naming the bound, or null
     */
    default String nackDelayRefusal(Duration delay) {
        return null;
    }

    /** Never redeliver to this group (the core has already dead-lettered it where configured). */
    CompletableFuture<Void> reject();

    /**
     * Give the message back to the group because this consumer is closing or its ack timeout
     * passed. The default is a nack with no delay. It runs on the client's timer thread (ack
     * timeout) or the closing thread and <b>must not block</b>: do slow work asynchronously and
     * complete the future when it is done. The core waits (bounded) for the releases under way
     * before it closes the consumer driver.
     */
    default CompletableFuture<Void> release() {
        return nack(Duration.ZERO);
    }

    /**
     * Adds the message to the dead-letter topic and settles it here <em>in one atomic step</em>, where
     * the broker can (for example one script over both keys). The core has already added the
     * dead-letter headers to {@code forwarded}. Return null when this delivery cannot do it atomically:
     * the core then sends to the dead-letter topic first and acks after, so that a crash in between
     * duplicates the message there but never loses it.
     */
    default CompletableFuture<Void> deadLetter(String deadLetterTopic, Message forwarded) {
        return null;
    }
}
