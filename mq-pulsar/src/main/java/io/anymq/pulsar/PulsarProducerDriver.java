package io.anymq.pulsar;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.Coalescer;
import io.anymq.spi.ProducerDriver;
import org.apache.pulsar.client.api.Producer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic through its own native producer (a Pulsar producer belongs to one topic). The
 * producer batches by key ({@code BatcherBuilder.KEY_BASED}: a batch never mixes keys, which
 * Key_Shared subscriptions need); the future completes on the broker's receipt, which comes after the
 * message is written to the bookies. The receipt's position is Pulsar's message id
 * ({@code ledger:entry:partition[:batch-index]}).
 */
final class PulsarProducerDriver implements ProducerDriver {
    private final String topic;
    private final Producer<byte[]> producer;

    PulsarProducerDriver(String topic, Producer<byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        try {
            return PulsarMessages.fill(producer.newMessage(), message).sendAsync()
                    .handle((id, e) -> {
                        if (e != null) {
                            throw PulsarErrors.map(e, "Pulsar did not take the message to '" + topic + "'");
                        }
                        return new Receipt(topic, message.id(), message.timestamp(), id.toString());
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(PulsarErrors.map(e, "Pulsar did not take the message to '" + topic + "'"));
        }
    }

    /** All messages go to the producer's batch container at once, then one flush sends them out together. */
    @Override
    public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
        List<CompletableFuture<Receipt>> futures = new ArrayList<>(messages.size());
        for (Message m : messages) {
            futures.add(send(m));
        }
        producer.flushAsync();
        return Coalescer.allInOrder(futures);
    }

    @Override
    public void flush() {
        producer.flushAsync();
    }

    @Override
    public void close() {
        producer.closeAsync();
    }
}
