package io.anymq.pulsar;

import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The way a message goes back to its group with a delay of its own: a copy goes to the group's retry
 * topic {@code <topic>-<group>-RETRY} (Pulsar's naming for retry-letter topics) with
 * {@code deliverAfter(delay)}, and the group's consumer reads that topic as well; the original is
 * acked once the copy is stored (a crash in between duplicates the message, never loses it). The copy
 * keeps payload, key, properties (so the id) and event time, and carries Pulsar's retry properties
 * ({@code RECONSUMETIMES} + 1, {@code DELAY_TIME}, {@code REAL_TOPIC}, {@code ORIGIN_MESSAGE_ID}), so
 * the delay is kept by the broker and the count is stored with the message: both survive a broker
 * restart and a consumer crash. Pulsar's own {@code reconsumeLater} is not used because it drops the
 * event time and dead-letters on its own count (the core decides dead-lettering).
 */
final class Retries {
    private final Producer<byte[]> producer;
    private final String originTopic;

    Retries(Producer<byte[]> producer, String originTopic) {
        this.producer = producer;
        this.originTopic = originTopic;
    }

    /** The retry topic of a topic (full name) and group. */
    static String topicOf(String fullTopic, String group) {
        return fullTopic + "-" + group + "-RETRY";
    }

    /** Stores the copy that comes back after the delay; completes when the broker has it. */
    CompletableFuture<Void> send(Message<byte[]> m, Duration delay) {
        TypedMessageBuilder<byte[]> b = producer.newMessage().value(m.getData());
        if (m.hasBase64EncodedKey()) {
            b.keyBytes(m.getKeyBytes());
        } else if (m.hasKey()) {
            b.key(m.getKey());
        }
        if (m.hasOrderingKey()) {
            b.orderingKey(m.getOrderingKey());
        }
        Map<String, String> properties = new TreeMap<>(m.getProperties());
        properties.putIfAbsent(PulsarMessages.REAL_TOPIC, originTopic);
        properties.putIfAbsent(PulsarMessages.ORIGIN_MESSAGE_ID, m.getMessageId().toString());
        properties.put(PulsarMessages.RECONSUME_TIMES, Integer.toString(PulsarMessages.reconsumeTimes(m) + 1));
        long delayMs = delayMillis(delay);
        properties.put(PulsarMessages.DELAY_TIME, Long.toString(delayMs));
        b.properties(properties);
        b.eventTime(m.getEventTime() > 0 ? m.getEventTime() : m.getPublishTime());
        if (delayMs > 0) {
            b.deliverAfter(delayMs, PulsarMessages.MS);
        }
        return b.sendAsync().thenApply(id -> null);
    }

    /** The delay in whole milliseconds, rounded up: never sooner than asked. */
    static long delayMillis(Duration delay) {
        long ms = delay.toMillis();
        return delay.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    void close() {
        producer.closeAsync();
    }
}
