package io.anymq.inmemory;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Appends to a topic's log; a send is complete once appended (the message is then in every group's reach). */
final class InMemoryProducerDriver implements ProducerDriver {
    private final InMemoryBroker broker;
    private final String topicName;
    /**
     * The topic sends go to; looked up again once the broker forgot it ({@code deleteTopic}), so that a producer
     * used afterwards starts the topic afresh instead of appending where no consumer can read.
     */
    private volatile Topic topic;

    InMemoryProducerDriver(InMemoryBroker broker, String topicName) {
        this.broker = broker;
        this.topicName = topicName;
        this.topic = broker.topic(topicName);
    }

    private Topic topic() {
        Topic t = topic;
        if (t.isDeleted()) {
            t = broker.topic(topicName);
            topic = t;
        }
        return t;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        return CompletableFuture.completedFuture(topic().append(message));
    }

    @Override
    public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        return CompletableFuture.completedFuture(topic().appendAll(messages));
    }

    @Override
    public void close() {
        // nothing buffered
    }
}
