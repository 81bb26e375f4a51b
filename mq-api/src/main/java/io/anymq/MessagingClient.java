package io.anymq;

/**
 * A connection to one backend. Thread-safe and long-lived: make one per application (or per
 * broker) and share it. Closing it closes every producer and consumer it made.
 */
public interface MessagingClient extends AutoCloseable {

    /**
     * The name of the provider.
     *
     * @return such as {@code kafka} or {@code mem}
     */
    String provider();

    /**
     * What this client can do (it may depend on the URL, for example a consumption mode).
     *
     * @return the declared capabilities and payload limit
     */
    Capabilities capabilities();

    /**
     * Whether the client is connected and usable, and why not, as the backend's native client last
     * reported it. Cheap (no round trip to the broker): made for liveness and readiness probes.
     * After {@link #close()} it is {@link Health.State#CLOSED}. What each backend observes is in its
     * module's README.
     *
     * @return the client's health now
     */
    Health health();

    /**
     * A producer for the topic with default options.
     *
     * @param topic the topic
     * @return a new producer; close it (or the client) when done
     */
    default Producer producer(String topic) {
        return producer(ProducerOptions.of(topic));
    }

    /**
     * A producer with these options.
     *
     * @param options the topic and how the producer behaves
     * @return a new producer; close it (or the client) when done
     * @throws UnsupportedCapabilityException the options ask for a capability the backend lacks
     * @throws ClosedException                the client is closed
     */
    Producer producer(ProducerOptions options);

    /**
     * A consumer in the group with default options (a new group starts at the latest message).
     *
     * @param topic the topic
     * @param group the group it joins
     * @return a new consumer; close it (or the client) when done
     */
    default Consumer consumer(String topic, String group) {
        return consumer(ConsumerOptions.of(topic, group));
    }

    /**
     * A consumer with these options: a new member of the group, which is created if it does not
     * exist yet (starting at {@link ConsumerOptions#startPosition()}).
     *
     * @param options the topic, the group and how the consumer behaves
     * @return a new consumer; close it (or the client) when done
     * @throws UnsupportedCapabilityException the options ask for a capability the backend lacks
     * @throws ClosedException                the client is closed
     */
    Consumer consumer(ConsumerOptions options);

    /**
     * Begins a transaction: sends (and, with {@link Capability#TRANSACTIONAL_ACK}, acks) that take effect
     * together at {@link Transaction#commit()} or not at all.
     *
     * @return an open transaction; commit it, or close or abort it
     * @throws UnsupportedCapabilityException if the backend does not declare {@link Capability#TRANSACTIONS}
     * @throws ClosedException                if the client is closed
     */
    default Transaction beginTransaction() {
        throw new UnsupportedCapabilityException(Capability.TRANSACTIONS, provider(), "MessagingClient.beginTransaction");
    }

    /**
     * Runs work in a transaction: commits it when the work returns, aborts it when the work throws (and
     * rethrows). The work must not commit or abort the transaction itself.
     *
     * @param work what to do in the transaction; its result is returned
     * @param <T>  the result's type
     * @return what the work returned, after the commit
     * @throws TransactionException           if the commit failed (see its outcome)
     * @throws UnsupportedCapabilityException if the backend does not declare {@link Capability#TRANSACTIONS}
     */
    default <T> T inTransaction(java.util.function.Function<Transaction, T> work) {
        if (work == null) {
            throw new IllegalArgumentException("work must not be null");
        }
        try (Transaction tx = beginTransaction()) {
            T result = work.apply(tx);
            tx.commit();
            return result;
        }
    }

    /**
     * Deletes a topic with its messages, and the named groups of it (their positions and whatever the
     * broker keeps per group), where the backend declares {@link Capability#TOPIC_DELETION}. A topic or
     * group that does not exist is no error: deleting twice is deleting once. Close the topic's producers
     * and consumers first (in every client): what the broker does to open ones is its own (the module
     * README says); a producer used afterwards may create the topic again.
     *
     * @param topic  the topic
     * @param groups the groups of that topic to delete with it (the broker may delete others with it too)
     * @throws UnsupportedCapabilityException the backend does not declare {@code TOPIC_DELETION}
     * @throws InvalidNameException           a name breaks the portable rule
     * @throws ClosedException                the client is closed
     */
    default void deleteTopic(String topic, java.util.Collection<String> groups) {
        throw new UnsupportedCapabilityException(Capability.TOPIC_DELETION, provider(), "MessagingClient.deleteTopic");
    }

    /**
     * The backend's native client, for what anymq does not cover.
     *
     * @param type the native client's class, such as {@code org.apache.kafka.clients.admin.Admin}
     * @param <T>  that type
     * @return the native client
     * @throws IllegalArgumentException when the backend has nothing of that type
     */
    <T> T unwrap(Class<T> type);

    /**
     * How many times an interceptor of this client threw ({@link MessagingInterceptor}): such failures
     * are logged once per interceptor class and otherwise only counted here.
     *
     * @return the count since the client connected; 0 without interceptors
     */
    default long interceptorFailures() {
        return 0;
    }

    /**
     * Closes every producer (flushing it) and consumer, then the connection. A second close does nothing.
     * A close from a thread whose interrupt flag is set does all of it, throws nothing for the flag and
     * leaves it set.
     */
    @Override
    void close();
}
