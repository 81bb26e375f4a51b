package io.anymq.inmemory;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Appends to a topic's log; a send is complete once appended (the message is then in every group's reach). */
final class InMemoryProducerDriver implements ProducerDriver {
    private final Topic topic;

    InMemoryProducerDriver(Topic topic) {
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        return CompletableFuture.completedFuture(topic.append(message));
    }

    @Override
    public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        return CompletableFuture.completedFuture(topic.appendAll(messages));
    }

    @Override
    public void close() {
        // nothing buffered
    }
}
