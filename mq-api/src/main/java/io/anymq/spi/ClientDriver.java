package io.anymq.spi;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;

/**
 * A backend's connection. The core has already checked names, options and capabilities before it
 * calls {@code create*}; a driver only does what its broker does differently.
 */
public interface ClientDriver extends AutoCloseable {

    /** What this connection offers, truthfully. Constant for the driver's life. */
    Capabilities capabilities();

    /**
     * A producer driver for the options' topic.
     *
     * @param options the checked producer options
     * @return a new producer driver
     */
    ProducerDriver createProducer(ProducerOptions options);

    /**
     * A consumer driver: a new member of the options' group, which it creates if needed.
     *
     * @param options the checked consumer options
     * @return a new consumer driver
     */
    ConsumerDriver createConsumer(ConsumerOptions options);

    /**
     * Deletes the topic, its messages and the named groups of it: only called when the driver declares
     * {@link io.anymq.Capability#TOPIC_DELETION}, with names the core has checked. What does not exist is
     * no error. Returns when the broker has done it.
     *
     * @param topic  the topic
     * @param groups the groups of that topic to delete (a broker that deletes a topic's groups with it can ignore them)
     */
    default void deleteTopic(String topic, java.util.Set<String> groups) {
        throw new UnsupportedOperationException(getClass().getName() + " declares TOPIC_DELETION but does not implement deleteTopic");
    }

    /**
     * The driver's report of its connection, made when it connected and kept up to date from the
     * native client's connection listeners (or the cheapest signal it has): what
     * {@link io.anymq.MessagingClient#health()} returns and what a consumer's
     * {@link io.anymq.ConsumerOptions#connectionLossTimeout()} is counted on. The core reads it once,
     * after connect, and then often: it must not change and reading it must cost no round trip.
     * The default, null, is for a driver that cannot observe its connection: health then stays
     * {@code CONNECTED} with a detail saying that it is not observed.
     *
     * @return the connection state, or null when the driver does not observe its connection
     */
    default ConnectionState connectionState() {
        return null;
    }

    /**
     * Commits one transaction: every send and every ack of {@code work} takes effect, or none does. Called
     * only when the driver declares {@link io.anymq.Capability#TRANSACTIONS} (acks only with
     * {@link io.anymq.Capability#TRANSACTIONAL_ACK}); the core has checked and stamped the messages, and
     * keeps the deliveries from any other settlement until the returned future completes.
     *
     * <p>Complete the future with one receipt per send, in order, once the broker confirmed the commit.
     * On failure complete it (or throw, for a driver that commits on the caller's thread) with {@link io.anymq.TransactionException} saying whether nothing took effect
     * ({@code ABORTED}) or it is not known ({@code UNKNOWN}); any other error is reported to the
     * application as {@code UNKNOWN}. On {@code ABORTED} the core gives the acked deliveries back
     * ({@link DriverDelivery#release()}).
     *
     * @param work the transaction's sends and acks
     * @return the receipts of the sends, in order
     */
    default java.util.concurrent.CompletableFuture<java.util.List<io.anymq.Receipt>> commit(TransactionWork work) {
        throw new UnsupportedOperationException("this driver declares no transactions");
    }

    /**
     * The native client. Return null when there is nothing of that type; the core turns that into a
     * clear error.
     */
    default <T> T unwrap(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : null;
    }

    /** Releases the connection. The core has closed every producer and consumer first. */
    @Override
    void close();
}
