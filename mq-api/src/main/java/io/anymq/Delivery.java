package io.anymq;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A received message and its settlement. Each delivery is settled exactly once, by
 * {@link #ack()}, {@link #nack(Duration)} or {@link #reject()}.
 *
 * <p><b>Settlement rules</b> (the same on every backend):
 * <ul>
 *   <li>A second settlement of the same delivery throws {@link SettlementException} with reason
 *       {@code ALREADY_SETTLED} and has no effect.</li>
 *   <li>Once the consumer's ack timeout has passed, the message has been returned to the group and
 *       a settlement throws {@code EXPIRED}; after the consumer closed, {@code CONSUMER_CLOSED}.</li>
 *   <li>The returned future completes when the broker has the settlement; it fails with
 *       {@code REVOKED} when the broker took the message away first (the group sees it again).
 *       Where a broker keeps acks as a position (Kafka consumer groups), it completes when the
 *       member has recorded the ack, which reaches the broker with the next committed position: a
 *       crash before then redelivers the message, never loses it (the module's README says so).</li>
 * </ul>
 * The settlement methods are thread-safe: exactly one of several racing calls wins.
 */
public interface Delivery {

    /**
     * The longest nack delay: 24 days, as {@link ConsumerOptions#MAX_ACK_TIMEOUT} (what brokers that count a delay in
     * 32-bit milliseconds can hold). A longer one is refused rather than cut silently.
     */
    Duration MAX_NACK_DELAY = Duration.ofDays(24);

    /**
     * The message.
     *
     * @return the message as it was sent
     */
    Message message();

    /**
     * The topic it came from.
     *
     * @return the topic name
     */
    String topic();

    /**
     * The group it was delivered to.
     *
     * @return the group name
     */
    String group();

    /**
     * How many times the message had been delivered to this group when this delivery was received, 1 on the
     * first delivery. It stays what it was: a later delivery of the same message (after a nack, a release or the
     * ack timeout) has its own count and does not change this one's.
     *
     * @return 1 or more
     * @throws UnsupportedCapabilityException without {@link Capability#DELIVERY_COUNT}
     */
    int deliveryCount();

    /**
     * Done: the group never sees this message again.
     *
     * @return completes when the broker has the ack
     * @throws SettlementException the delivery was already settled, expired or its consumer closed
     */
    CompletableFuture<Void> ack();

    /**
     * Not now: redeliver to a member of the group no sooner than after the delay, with the delivery
     * count one higher. Once the consumer's maximum deliveries is reached, the message is
     * dead-lettered instead.
     *
     * @param delay the earliest redelivery, from now: zero up to {@link #MAX_NACK_DELAY}
     * @return completes when the broker has the nack
     * @throws UnsupportedCapabilityException without {@link Capability#NACK_REDELIVERY}
     * @throws IllegalArgumentException       a null, negative or longer delay (the delivery stays unsettled)
     */
    CompletableFuture<Void> nack(Duration delay);

    /**
     * {@link #nack(Duration)} with no delay.
     *
     * @return completes when the broker has the nack
     */
    default CompletableFuture<Void> nack() {
        return nack(Duration.ZERO);
    }

    /**
     * Never: the group never sees this message again; it goes to the consumer's dead-letter topic
     * when one is configured, and is dropped otherwise.
     *
     * @return completes when the broker has the settlement (and the dead-letter topic the message)
     * @throws UnsupportedCapabilityException without {@link Capability#AT_LEAST_ONCE} (with
     *                                        at-most-once delivery there is nothing to refuse)
     */
    CompletableFuture<Void> reject();

    /**
     * Whether this delivery has been settled (by a call, its ack timeout, or its consumer's close).
     *
     * @return true once settled
     */
    boolean isSettled();
}
