package io.anymq;

/**
 * A connection to one backend. Thread-safe and long-lived: make one per application (or per
 * broker) and share it. Closing it closes every producer and consumer it made.
 */
public interface MessagingClient extends AutoCloseable {

    /** The name of the provider, such as {@code kafka} or {@code mem}. */
    String provider();

    /** What this client can do (it may depend on the URL, for example a consumption mode). */
    Capabilities capabilities();

    /** A producer for the topic with default options. */
    default Producer producer(String topic) {
        return producer(ProducerOptions.of(topic));
    }

    Producer producer(ProducerOptions options);

    /** A consumer in the group with default options (starts at the latest message). */
    default Consumer consumer(String topic, String group) {
        return consumer(ConsumerOptions.of(topic, group));
    }

    Consumer consumer(ConsumerOptions options);

    /**
     * The backend's native client, for what anymq does not cover.
     *
     * @throws IllegalArgumentException when the backend has nothing of that type
     */
    <T> T unwrap(Class<T> type);

    /** Closes every producer (flushing it) and consumer, then the connection. A second close does nothing. */
    @Override
    void close();
}
