package io.anymq.rocketmq;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends to one topic through the connection's one native producer ({@code sendAsync}); the future
 * completes when the proxy answered that the broker stored the message (the harness broker flushes
 * synchronously). A message sent without an id is named by RocketMQ's message id: nothing extra travels.
 * A send that finds the proxy unreachable ({@code UNAVAILABLE}: the request never left) is tried again,
 * pausing 100 ms doubling to 1 s, until the send timeout passed: after a proxy restart the gRPC channel
 * fails fast during its reconnect back-off, and a send should ride that out rather than fail at once.
 * In mode=fifo a keyed message goes in the message group of its key, and the sends of one key go one
 * after the other (concurrent sends of one group could be stored out of order).
 */
final class RocketMqProducerDriver implements ProducerDriver {
    private final String topic;
    private final ClientServiceProvider provider;
    private final Producer producer;
    private final Duration sendTimeout;
    /** mode=fifo: the sends of one key one after the other; null otherwise. */
    private final KeySequencer sequencer;

    RocketMqProducerDriver(String topic, ClientServiceProvider provider, Producer producer, Duration sendTimeout, boolean fifo) {
        this.topic = topic;
        this.provider = provider;
        this.producer = producer;
        this.sendTimeout = sendTimeout;
        this.sequencer = fifo ? new KeySequencer() : null;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        if (sequencer != null && message.key() != null) {
            return sequencer.run(message.key(), () -> sendNow(message));
        }
        return sendNow(message);
    }

    private CompletableFuture<Receipt> sendNow(Message message) {
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        try {
            org.apache.rocketmq.client.apis.message.Message m = RocketMqMessages.toNative(provider, topic, message, sequencer != null);
            attempt(message, m, receipt, System.nanoTime() + sendTimeout.toNanos(), 100);
        } catch (RuntimeException e) {
            receipt.completeExceptionally(RocketMqErrors.map(e, "RocketMQ did not take the message to '" + topic + "'"));
        }
        return receipt;
    }

    private void attempt(Message message, org.apache.rocketmq.client.apis.message.Message m, CompletableFuture<Receipt> receipt,
                         long deadline, long pauseMillis) {
        producer.sendAsync(m).whenComplete((r, e) -> {
            if (e == null) {
                String nativeId = r.getMessageId().toString();
                receipt.complete(new Receipt(topic, message.id() != null ? message.id() : nativeId, message.timestamp(), nativeId));
            } else if (RocketMqErrors.neverLeft(e) && System.nanoTime() + pauseMillis * 1_000_000 < deadline) {
                RocketMqTimer.TIMER.schedule(() -> attempt(message, m, receipt, deadline, Math.min(1000, pauseMillis * 2)),
                        pauseMillis, TimeUnit.MILLISECONDS);
            } else {
                receipt.completeExceptionally(RocketMqErrors.map(e, "RocketMQ did not take the message to '" + topic + "'"));
            }
        });
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
