package io.anymq;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One member of a group of one topic. Use it either by pulling ({@code receive}) or by pushing to a
 * handler ({@link #subscribe}), not both. Thread-safe.
 *
 * <p>A consumer holds at most {@link ConsumerOptions#maxInFlight()} unsettled deliveries; receive
 * returns nothing more until some are settled. When the consumer closes, its unsettled deliveries
 * go back to the group.
 */
public interface Consumer extends AutoCloseable {

    /**
     * The topic this consumer reads.
     *
     * @return the topic name
     */
    String topic();

    /**
     * The group this consumer is a member of.
     *
     * @return the group name
     */
    String group();

    /**
     * Waits up to the timeout for one delivery.
     *
     * @param timeout how long to wait at most; not null ({@link IllegalArgumentException})
     * @return the delivery, or empty when the timeout passed or the consumer was closed while waiting
     * @throws MessagingInterruptedException the thread was interrupted (its flag is set again)
     * @throws ClosedException               the consumer was closed before the call
     * @throws ConnectionException           nothing came and the client's connection has been lost
     *                                       for longer than {@link ConsumerOptions#connectionLossTimeout()}
     *                                       (or the backend's read failed); receiving works again once
     *                                       it is back
     */
    Optional<Delivery> receive(Duration timeout);

    /**
     * Waits up to the timeout for at least one delivery and returns those available, at most
     * {@code max}.
     *
     * @param max     the most deliveries to return, at least 1
     * @param timeout how long to wait at most for the first one; not null ({@link IllegalArgumentException})
     * @return the deliveries; empty on timeout, or when the consumer is closed while waiting
     * @throws MessagingInterruptedException the thread was interrupted (its flag is set again)
     * @throws ClosedException               the consumer was closed before the call
     * @throws ConnectionException           nothing came and the client's connection has been lost
     *                                       for longer than {@link ConsumerOptions#connectionLossTimeout()}
     *                                       (or the backend's read failed); receiving works again once
     *                                       it is back
     */
    List<Delivery> receive(int max, Duration timeout);

    /**
     * Pushes deliveries to the handler, one at a time.
     *
     * @param handler called with each delivery
     * @return the subscription; close it to stop
     */
    default Subscription subscribe(DeliveryHandler handler) {
        return subscribe(handler, SubscribeOptions.defaults());
    }

    /**
     * Pushes deliveries to the handler with the options' concurrency. A normal return acks, an
     * exception nacks with the retry delay. After this, {@code receive} is refused. When fetching
     * fails because the connection is lost (see {@link ConsumerOptions#connectionLossTimeout()}), the
     * subscription logs it once at ERROR, keeps trying, and logs when it fetches again.
     *
     * @param handler called with each delivery, from up to {@link SubscribeOptions#concurrency()} threads
     * @param options concurrency, per-key serial handling, retry delay and shutdown grace
     * @return the subscription; close it to stop
     */
    Subscription subscribe(DeliveryHandler handler, SubscribeOptions options);

    /**
     * The number of deliveries held and not yet settled.
     *
     * @return the count, at most {@link ConsumerOptions#maxInFlight()}
     */
    int unsettled();

    /** Closes the subscription if any, returns unsettled deliveries to the group, and releases the consumer. A second close does nothing. */
    @Override
    void close();
}
