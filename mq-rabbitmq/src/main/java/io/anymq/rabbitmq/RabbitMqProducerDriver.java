package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.anymq.Message;
import io.anymq.MessagingException;
import io.anymq.ProducerOptions;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends to a topic's fanout exchange as persistent messages with publisher confirms: the send
 * completes when RabbitMQ confirmed it (for a quorum queue, when a majority stored it; for a
 * durable classic queue, when it is on disk). A {@code basic.nack} fails it (retryable); a
 * {@code basic.return} (no group) fails it with {@link UnroutableMessageException} under
 * {@code unroutable=fail}. A message with a delivery time goes to the delay queue of its delay and
 * comes back to the topic's exchange, so to every group, when it expires there. While the
 * connection is down (broker restart), a send waits for its recovery up to the producer's block
 * timeout, as it waits for room in a full window; sends in flight when it went down fail (retryable).
 */
final class RabbitMqProducerDriver implements ProducerDriver {
    /** Delivery times closer than this are sent at once. */
    private static final long MIN_DELAY_MS = 1;

    private final RabbitMqClientDriver client;
    private final String topic;
    private final String exchange;
    private final boolean failUnroutable;
    /** How long a send waits for a lost connection to come back: the producer's block timeout, or nothing with WhenFull.FAIL. */
    private final long recoveryWaitNanos;

    RabbitMqProducerDriver(RabbitMqClientDriver client, ProducerOptions options) {
        this.client = client;
        this.topic = options.topic();
        this.exchange = RabbitMqNames.exchange(topic);
        this.failUnroutable = client.settings().failUnroutable();
        this.recoveryWaitNanos = options.whenFull() == ProducerOptions.WhenFull.FAIL ? 0 : options.blockTimeout().toNanos();
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        AMQP.BasicProperties props = RabbitMqMessages.properties(message, client.frameMax());
        String what = "message " + message.id() + " to topic '" + topic + "'";
        byte[] body = io.anymq.spi.Payloads.shared(message);
        Instant at = message.deliverAt();
        long delay = at == null ? 0 : at.toEpochMilli() - System.currentTimeMillis();
        CompletableFuture<Void> confirmed;
        if (delay >= MIN_DELAY_MS) {
            long bucket;
            try {
                client.ensureTopicRedelivery(topic);
                bucket = client.ensureDelayQueue(delay);
            } catch (MessagingException e) {
                return CompletableFuture.failedFuture(e);
            }
            Map<String, Object> headers = props.getHeaders() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(props.getHeaders());
            headers.put(RabbitMqMessages.DELAY, Long.toString(bucket));
            // routed by the header to the delay queue; the routing key brings it back to this topic's exchange
            confirmed = client.publish(RabbitMqNames.DELAY_EXCHANGE, exchange, true, true, props.builder().headers(headers).build(),
                    body, message.id(), what + " (delayed " + bucket + " ms)", recoveryWaitNanos);
        } else {
            confirmed = client.publish(exchange, RabbitMqMessages.routingKey(message), failUnroutable, failUnroutable, props, body,
                    message.id(), what, recoveryWaitNanos);
        }
        return confirmed.thenApply(v -> new Receipt(topic, message.id(), message.timestamp(), ""));
    }

    @Override
    public void close() {
        // the core waited for the confirms; the channels belong to the client's pool
    }
}
