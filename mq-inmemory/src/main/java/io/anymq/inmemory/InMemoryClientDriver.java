package io.anymq.inmemory;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConnectionState;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;

/** A client of an in-memory broker. Holds nothing of its own: the broker outlives it. */
final class InMemoryClientDriver implements ClientDriver {
    private final InMemoryBroker broker;
    private final Capabilities capabilities;
    /** The broker is in this JVM: the connection cannot be lost, only closed (the core reports that). */
    private final ConnectionState connection;

    InMemoryClientDriver(InMemoryBroker broker, Capabilities capabilities, String name) {
        this.broker = broker;
        this.capabilities = capabilities;
        this.connection = new ConnectionState("mem:" + name);
    }

    @Override
    public ConnectionState connectionState() {
        return connection;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        return new InMemoryProducerDriver(broker.topic(options.topic()));
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        Topic topic = broker.topic(options.topic());
        return new InMemoryConsumerDriver(topic.group(options.group(), options.startPosition(), options.keyOrdered()));
    }

    @Override
    public void deleteTopic(String topic, java.util.Set<String> groups) {
        broker.delete(topic);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(broker) ? type.cast(broker) : ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        // the broker and its topics stay for other clients in this JVM
    }
}
