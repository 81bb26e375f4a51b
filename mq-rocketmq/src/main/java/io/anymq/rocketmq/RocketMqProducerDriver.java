package io.anymq.rocketmq;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;

import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic through the connection's one native producer ({@code sendAsync}); the future
 * completes when the proxy answered that the broker stored the message (the harness broker flushes
 * synchronously). A message sent without an id is named by RocketMQ's message id: nothing extra travels.
 */
final class RocketMqProducerDriver implements ProducerDriver {
    private final String topic;
    private final ClientServiceProvider provider;
    private final Producer producer;

    RocketMqProducerDriver(String topic, ClientServiceProvider provider, Producer producer) {
        this.topic = topic;
        this.provider = provider;
        this.producer = producer;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        try {
            producer.sendAsync(RocketMqMessages.toNative(provider, topic, message)).whenComplete((r, e) -> {
                if (e != null) {
                    receipt.completeExceptionally(RocketMqErrors.map(e, "RocketMQ did not take the message to '" + topic + "'"));
                } else {
                    String nativeId = r.getMessageId().toString();
                    receipt.complete(new Receipt(topic, message.id() != null ? message.id() : nativeId, message.timestamp(), nativeId));
                }
            });
        } catch (RuntimeException e) {
            receipt.completeExceptionally(RocketMqErrors.map(e, "RocketMQ did not take the message to '" + topic + "'"));
        }
        return receipt;
    }

    /** A message sent without an id is named by its RocketMQ message id (read back by every consumer). */
    @Override
    public boolean namesMessagesByPosition() {
        return true;
    }

    @Override
    public void close() {
        // the native producer belongs to the client
    }
}
