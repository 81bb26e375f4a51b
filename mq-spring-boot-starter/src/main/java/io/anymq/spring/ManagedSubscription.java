package io.anymq.spring;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.DeliveryHandler;
import io.anymq.MessagingClient;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;
import org.springframework.context.SmartLifecycle;

import java.util.Objects;

/**
 * A push subscription that lives as long as the application context runs: declared as a bean, it
 * makes its consumer and subscribes when the context has started (after every bean is made), and
 * closes the subscription and the consumer when the context stops, before the
 * {@link MessagingClient} closes. Unsettled deliveries then go back to the group.
 *
 * <pre>{@code
 * @Bean
 * ManagedSubscription billing(MessagingClient client, Billing billing) {
 *     return ManagedSubscription.of(client, ConsumerOptions.of("orders", "billing"),
 *             delivery -> billing.charge(delivery.message().payloadAsString()));
 * }
 * }</pre>
 *
 * A normal return of the handler acks the delivery, an exception nacks it with the retry delay
 * ({@link SubscribeOptions}). Thread-safe.
 */
public final class ManagedSubscription implements SmartLifecycle {
    private final MessagingClient client;
    private final ConsumerOptions consumerOptions;
    private final SubscribeOptions subscribeOptions;
    private final DeliveryHandler handler;
    private Consumer consumer;
    private Subscription subscription;

    private ManagedSubscription(MessagingClient client, ConsumerOptions consumerOptions, SubscribeOptions subscribeOptions,
                                DeliveryHandler handler) {
        this.client = Objects.requireNonNull(client, "client");
        this.consumerOptions = Objects.requireNonNull(consumerOptions, "consumerOptions");
        this.subscribeOptions = Objects.requireNonNull(subscribeOptions, "subscribeOptions");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * A subscription with default {@link SubscribeOptions} (one handler thread).
     *
     * @param client          the client whose consumer it is
     * @param consumerOptions the topic, the group and how the consumer behaves
     * @param handler         called with each delivery
     * @return the subscription, not started
     */
    public static ManagedSubscription of(MessagingClient client, ConsumerOptions consumerOptions, DeliveryHandler handler) {
        return new ManagedSubscription(client, consumerOptions, SubscribeOptions.defaults(), handler);
    }

    /**
     * The same subscription with other options (concurrency, per-key serial handling, retry delay,
     * shutdown grace).
     *
     * @param options the options
     * @return a new, not started subscription
     */
    public ManagedSubscription withSubscribeOptions(SubscribeOptions options) {
        return new ManagedSubscription(client, consumerOptions, options, handler);
    }

    /**
     * The consumer's options.
     *
     * @return the topic, group and consumer settings
     */
    public ConsumerOptions consumerOptions() {
        return consumerOptions;
    }

    /**
     * The subscription's options.
     *
     * @return concurrency and the rest
     */
    public SubscribeOptions subscribeOptions() {
        return subscribeOptions;
    }

    /** Makes the consumer and subscribes; does nothing when running. */
    @Override
    public synchronized void start() {
        if (subscription != null) {
            return;
        }
        Consumer c = client.consumer(consumerOptions);
        try {
            subscription = c.subscribe(handler, subscribeOptions);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        consumer = c;
    }

    /** Closes the subscription (waiting for running handlers up to the shutdown grace) and the consumer. */
    @Override
    public synchronized void stop() {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } finally {
            consumer.close();
            subscription = null;
            consumer = null;
        }
    }

    /**
     * Whether it subscribes now.
     *
     * @return true between start and stop while the subscription dispatches
     */
    @Override
    public synchronized boolean isRunning() {
        return subscription != null && subscription.isActive();
    }

    @Override
    public String toString() {
        return "ManagedSubscription{topic=" + consumerOptions.topic() + ", group=" + consumerOptions.group()
                + ", concurrency=" + subscribeOptions.concurrency() + "}";
    }
}
