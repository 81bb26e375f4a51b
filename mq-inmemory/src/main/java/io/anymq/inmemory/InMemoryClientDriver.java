package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.ProducerOptions;
import io.anymq.Receipt;
import io.anymq.TransactionException;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConnectionState;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ProducerDriver;
import io.anymq.spi.TransactionWork;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
        return new InMemoryProducerDriver(broker, options.topic());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        Topic topic = broker.topic(options.topic());
        return new InMemoryConsumerDriver(topic.group(options.group(), options.startPosition(), options.keyOrdered()));
    }

    /**
     * Appends every send under the append locks of all its topics at once, then acks: a reader never sees
     * a part of a transaction without the rest once the locks are released, and nothing of a transaction
     * that finds no room (a full topic) is appended.
     */
    @Override
    public CompletableFuture<List<Receipt>> commit(TransactionWork work) {
        List<Topic> topics = new ArrayList<>(work.sends().size());
        List<Message> messages = new ArrayList<>(work.sends().size());
        for (TransactionWork.Send s : work.sends()) {
            topics.add(broker.topic(s.topic()));
            messages.add(s.message());
        }
        List<Receipt> receipts;
        try {
            receipts = Topic.appendTogether(topics, messages);
        } catch (BackpressureException e) {
            return CompletableFuture.failedFuture(new TransactionException(TransactionException.Outcome.ABORTED,
                    "the transaction was not committed: " + e.getMessage(), e));
        }
        for (DriverDelivery d : work.acks()) {
            d.ack(); // an in-memory ack completes at once and cannot fail: the core holds the delivery for the transaction
        }
        return CompletableFuture.completedFuture(receipts);
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
