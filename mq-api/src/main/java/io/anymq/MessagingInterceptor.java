package io.anymq;

/**
 * Code that runs around what a client does: each send, each delivery handed to the application, and
 * each settlement. For metrics, tracing and audit logs; {@code io.anymq:mq-micrometer} and
 * {@code io.anymq:mq-opentelemetry} are two.
 *
 * <p>Installed per client, in order, with {@link MessagingConfig.Builder#interceptor(MessagingInterceptor)}:
 * <pre>{@code
 * MessagingClient client = Messaging.connect(MessagingConfig.builder().url("kafka://localhost:9092")
 *         .interceptor(new MicrometerInterceptor(registry)).interceptor(OpenTelemetryInterceptor.create(otel))
 *         .build());
 * }</pre>
 *
 * <p>Order: the {@code before} and {@code receive} calls run in installation order, the {@code after}
 * and {@code settle} calls in reverse order (the first interceptor installed wraps the others, like
 * nested {@code try} blocks). Every method has a default that does nothing.
 *
 * <p>Threads: {@link #beforeSend} runs on the thread that calls {@code send}; {@link #afterSend}
 * runs where the send completes (the caller's thread or a client thread), before the caller's future
 * completes. {@link #onReceive} runs on the receiving thread before {@code receive} returns (or before a
 * subscription's handler runs); {@link #onSettle} where the settlement completes, or on the
 * client's timer for an expiry. Methods must be thread-safe and quick: they run on the client's threads.
 *
 * <p>Failures: an interceptor that throws does not break the send or the settlement. The exception
 * is logged (a warning, once per interceptor class) and counted ({@link MessagingClient#interceptorFailures()});
 * the other interceptors still run, and the send goes on with the message as far as it was changed.
 *
 * <p>The core's own sends (dead-lettering) are not seen as sends; the settlement that caused them
 * is ({@link Outcome#DEAD_LETTERED}, {@link Outcome#REJECTED}). With no interceptor installed the
 * core allocates nothing and calls nothing for them.
 */
public interface MessagingInterceptor {

    /** How a delivery left the application's hands. */
    enum Outcome {
        /** {@link Delivery#ack()}. */
        ACKED,
        /** {@link Delivery#nack(java.time.Duration)} that gives the message back for redelivery. */
        NACKED,
        /** {@link Delivery#reject()} (to the dead-letter topic when the consumer has one). */
        REJECTED,
        /**
         * The core moved the message to the dead-letter topic (or rejected it, without one) because
         * it reached {@link ConsumerOptions#maxDeliveries()}: on a nack, or on arrival (then without a
         * preceding {@link MessagingInterceptor#onReceive}).
         */
        DEAD_LETTERED,
        /** The ack timeout passed before a settlement: the message goes back to the group. */
        EXPIRED,
        /** The consumer closed with the delivery unsettled: the message goes back to the group. */
        RELEASED
    }

    /** One send, from {@link MessagingInterceptor#beforeSend} to {@link MessagingInterceptor#afterSend}. Not shared between threads at the same time. */
    interface SendContext {
        /**
         * The provider's name.
         *
         * @return such as {@code kafka} or {@code mem}
         */
        String provider();

        /**
         * The topic sent to.
         *
         * @return the producer's topic
         */
        String topic();

        /**
         * The message as it is sent: stamped with its id (unless the broker names it) and carrying the
         * headers interceptors added so far.
         *
         * @return the message
         */
        Message message();

        /**
         * Adds a header to the message before it is sent (such as {@code traceparent}); only in
         * {@link MessagingInterceptor#beforeSend}.
         *
         * @param name  the header's name; not under the reserved prefix {@code anymq-}
         * @param value its value
         * @throws InvalidMessageException the name is reserved or empty, or the value is null
         * @throws IllegalStateException   the message was already handed to the driver
         */
        void header(String name, String value);

        /**
         * When the send began ({@link System#nanoTime()}), just before the first interceptor ran.
         *
         * @return the start time in nanoseconds
         */
        long startNanos();

        /**
         * How long this send waited for room in the producer's in-flight window
         * ({@link ProducerOptions#maxInFlight()}), known from {@link MessagingInterceptor#afterSend} on. A send that
         * found room at once did not wait: 0. A send that gave up waiting ({@link BackpressureException}) reports how
         * long it waited.
         *
         * @return nanoseconds, 0 when the send did not wait
         */
        default long windowWaitNanos() {
            return 0;
        }

        /**
         * What this interceptor attached to this send, such as a span.
         *
         * @return the attachment, or null
         */
        Object attachment();

        /**
         * Keeps an object with this send for the calling interceptor alone (each interceptor has its own slot).
         *
         * @param attachment the object, or null to drop it
         */
        void attach(Object attachment);
    }

    /** One delivery, from {@link MessagingInterceptor#onReceive} to {@link MessagingInterceptor#onSettle}. */
    interface DeliveryContext {
        /**
         * The provider's name.
         *
         * @return such as {@code kafka} or {@code mem}
         */
        String provider();

        /**
         * The topic received from.
         *
         * @return the consumer's topic
         */
        String topic();

        /**
         * The consumer's group.
         *
         * @return the group
         */
        String group();

        /**
         * The delivered message, with its headers.
         *
         * @return the message
         */
        Message message();

        /**
         * How many times the message was delivered, this time included.
         *
         * @return 1 or more; 0 where the backend does not count deliveries ({@link Capability#DELIVERY_COUNT})
         */
        int deliveryCount();

        /**
         * What this interceptor attached to this delivery, such as a span.
         *
         * @return the attachment, or null
         */
        Object attachment();

        /**
         * Keeps an object with this delivery for the calling interceptor alone.
         *
         * @param attachment the object, or null to drop it
         */
        void attach(Object attachment);
    }

    /** One consumer of a client, from {@link MessagingInterceptor#onConsumerOpen} to {@link MessagingInterceptor#onConsumerClose}. */
    interface ConsumerContext {
        /**
         * The provider's name.
         *
         * @return such as {@code kafka} or {@code mem}
         */
        String provider();

        /**
         * The consumer's topic.
         *
         * @return the topic
         */
        String topic();

        /**
         * The consumer's group.
         *
         * @return the group
         */
        String group();

        /**
         * The group's consumer lag, asked of the broker now: how many messages of the topic wait for the
         * group and were not delivered to any member yet. May cost a round trip to the broker (bound how
         * often you ask: a gauge that caches it); not on a send or delivery path.
         *
         * @return the number of messages; empty where the backend does not tell, or once the consumer closed
         * @throws MessagingException the broker could not be asked
         */
        java.util.OptionalLong lag();

        /**
         * What this interceptor attached to this consumer.
         *
         * @return the attachment, or null
         */
        Object attachment();

        /**
         * Keeps an object with this consumer for the calling interceptor alone.
         *
         * @param attachment the object, or null to drop it
         */
        void attach(Object attachment);
    }

    /**
     * A consumer was created (before {@code createConsumer} returns); installation order.
     *
     * @param consumer the consumer
     */
    default void onConsumerOpen(ConsumerContext consumer) {
    }

    /**
     * A consumer closed (its unsettled deliveries were released first); reverse order.
     *
     * @param consumer the consumer
     */
    default void onConsumerClose(ConsumerContext consumer) {
    }

    /**
     * Before a message is handed to the driver, after the core checked and stamped it. May add headers.
     *
     * @param send the send
     */
    default void beforeSend(SendContext send) {
    }

    /**
     * After the send completed: confirmed by the broker, or failed (also when the in-flight window
     * stayed full). Latency: {@code System.nanoTime() - send.startNanos()}.
     *
     * @param send    the send
     * @param receipt the broker's receipt, or null when it failed
     * @param failure why it failed (a {@link MessagingException}), or null
     */
    default void afterSend(SendContext send, Receipt receipt, Throwable failure) {
    }

    /**
     * A delivery is handed to the application (by {@code receive} or to a subscription's handler).
     *
     * @param delivery the delivery
     */
    default void onReceive(DeliveryContext delivery) {
    }

    /**
     * A delivery was settled: the settlement completed (or failed), or the delivery expired or was
     * released without one.
     *
     * @param delivery the delivery
     * @param outcome  how it was settled
     * @param failure  why the settlement failed at the broker, or null
     */
    default void onSettle(DeliveryContext delivery, Outcome outcome, Throwable failure) {
    }
}
