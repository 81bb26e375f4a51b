package io.anymq.kafka;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic through the connection's one idempotent {@code acks=all} producer; the future
 * completes on the broker's acknowledgement, with the position {@code <partition>-<offset>}. A
 * message sent without an id is named {@code <topic>-<partition>-<offset>} (see {@link KafkaRecords}).
 */
final class KafkaProducerDriver implements ProducerDriver {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaFlusher flusher;

    KafkaProducerDriver(String topic, KafkaProducer<byte[], byte[]> producer, KafkaFlusher flusher) {
        this.topic = topic;
        this.producer = producer;
        this.flusher = flusher;
    }

    /**
     * An interrupt flag set before the send is kept for after it, not seen by {@code KafkaProducer.send}, which fails
     * when it would wait (for the topic's metadata, the first send to a topic; for buffer memory) on an interrupted
     * thread: every send from a thread that left its flag set failed. An interrupt that comes during the wait fails the
     * send with {@code MessagingInterruptedException}; the record was not appended, so it was not sent.
     */
    @Override
    public CompletableFuture<Receipt> send(Message message) {
        return io.anymq.spi.Uninterruptibly.withFlagCleared(() -> append(message));
    }

    private CompletableFuture<Receipt> append(Message message) {
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        try {
            producer.send(KafkaRecords.toRecord(topic, message), (metadata, e) -> {
                if (e != null) {
                    receipt.completeExceptionally(KafkaErrors.map(e, "Kafka did not take the message to '" + topic + "'"));
                } else {
                    String id = message.id() != null ? message.id() : KafkaRecords.positionId(metadata.topic(), metadata.partition(), metadata.offset());
                    receipt.complete(new Receipt(topic, id, message.timestamp(), metadata.partition() + "-" + metadata.offset()));
                }
            });
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            receipt.completeExceptionally(new io.anymq.MessagingInterruptedException("interrupted while Kafka waited to take the message to '"
                    + topic + "' (for the topic's metadata or buffer memory): it was not sent", new InterruptedException()));
        } catch (RuntimeException e) {
            receipt.completeExceptionally(KafkaErrors.map(e, "Kafka did not take the message to '" + topic + "'"));
        }
        return receipt;
    }

    /** A message sent without an id is named by its record's position: no id header travels. */
    @Override
    public boolean namesMessagesByPosition() {
        return true;
    }

    /**
     * Asks the producer to push out every record it has batched (of every topic), without waiting for the
     * answers: the native flush would, up to {@code delivery.timeout.ms}, past the close timeout.
     */
    @Override
    public void flush() {
        flusher.request(producer);
    }

    @Override
    public void close() {
        // the producer belongs to the client
    }
}
