package io.anymq.pulsar;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.Coalescer;
import io.anymq.spi.PositionIds;
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
 * ({@code ledger:entry:partition[:batch-index]}). A message sent without an id carries none: it is
 * named by that position, {@code <topic>-<position>}, as its deliveries are (see {@link PulsarMessages}).
 */
final class PulsarProducerDriver implements ProducerDriver {
    private final String topic;
    private final Producer<byte[]> producer;
    /** Tells the client driver that this producer's connection no longer counts for health. */
    private final Runnable onClose;

    PulsarProducerDriver(String topic, Producer<byte[]> producer, Runnable onClose) {
        this.topic = topic;
        this.producer = producer;
        this.onClose = onClose;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        try {
            return PulsarMessages.fill(producer.newMessage(), message).sendAsync()
                    .handle((id, e) -> {
                        if (e != null) {
                            throw PulsarErrors.map(e, "Pulsar did not take the message to '" + topic + "'");
                        }
                        String position = id.toString();
                        String messageId = message.id() != null ? message.id() : PositionIds.of(topic, position);
                        return new Receipt(topic, messageId, message.timestamp(), position);
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(PulsarErrors.map(e, "Pulsar did not take the message to '" + topic + "'"));
        }
    }

    /** A message sent without an id is named by its position: no {@code anymq-id} property travels. */
    @Override
    public boolean namesMessagesByPosition() {
        return true;
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
        onClose.run();
        producer.closeAsync();
    }
}
