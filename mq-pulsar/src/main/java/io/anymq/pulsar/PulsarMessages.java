package io.anymq.pulsar;

import io.anymq.Message;
import io.anymq.spi.PositionIds;
import io.anymq.spi.ReservedHeaders;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A message as a Pulsar message: the payload is the value (bytes as they are), the key is the message
 * key, the headers are message properties, the timestamp is the event time, {@code deliverAt} is the
 * message's deliver-at time, and an id the sender gave travels in the property {@code anymq-id}. A
 * message without that property (sent without an id, by anymq or a plain client) is named by its
 * position, {@code <topic>-<ledger:entry:partition[:batch]>}, as the sender's receipt names it,
 * and timed by its event time, or its publish time when it has none. A copy on the retry topic keeps the
 * id and time of the original (see {@link Retries}).
 */
final class PulsarMessages {
    /** The retry bookkeeping properties (Pulsar's own names, so that a native consumer with enableRetry reads our copies). */
    static final String RECONSUME_TIMES = "RECONSUMETIMES";
    static final String DELAY_TIME = "DELAY_TIME";
    static final String REAL_TOPIC = "REAL_TOPIC";
    static final String ORIGIN_MESSAGE_ID = "ORIGIN_MESSAGE_ID";
    private static final Set<String> RETRY_PROPERTIES = Set.of(RECONSUME_TIMES, DELAY_TIME, REAL_TOPIC, ORIGIN_MESSAGE_ID,
            "ORIGIN_MESSAGE_IDY_TIME", "REAL_SUBSCRIPTION", "RETRY_TOPIC");

    private PulsarMessages() {
    }

    /** Fills a native message from a portable one. */
    static TypedMessageBuilder<byte[]> fill(TypedMessageBuilder<byte[]> b, Message m) {
        b.value(m.payload());
        if (m.key() != null) {
            b.key(m.key());
        }
        Map<String, String> properties = new LinkedHashMap<>(m.headers());
        if (m.id() != null) {
            properties.put(ReservedHeaders.ID, m.id());
        }
        if (!properties.isEmpty()) {
            b.properties(properties);
        }
        if (m.timestamp() != null) {
            b.eventTime(m.timestamp().toEpochMilli());
        }
        if (m.deliverAt() != null) {
            b.deliverAt(m.deliverAt().toEpochMilli());
        }
        return b;
    }

    /**
     * The portable message of a native one received from {@code topic} (the portable name of the
     * consumed topic, also for copies that came through the retry topic).
     */
    static Message toMessage(org.apache.pulsar.client.api.Message<byte[]> pm, String topic) {
        byte[] data = pm.getData();
        Message.Builder b = Message.builder().payload(data == null ? new byte[0] : data);
        if (pm.hasKey()) {
            b.key(pm.getKey());
        }
        Map<String, String> properties = pm.getProperties();
        boolean retryCopy = properties.containsKey(RECONSUME_TIMES);
        String id = null;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().equals(ReservedHeaders.ID)) {
                id = e.getValue();
            } else if (!(retryCopy && RETRY_PROPERTIES.contains(e.getKey()))) {
                b.header(e.getKey(), e.getValue());
            }
        }
        if (id == null || id.isEmpty()) {
            String position = retryCopy && properties.containsKey(ORIGIN_MESSAGE_ID) ? properties.get(ORIGIN_MESSAGE_ID)
                    : pm.getMessageId().toString();
            id = PositionIds.of(topic, position);
        }
        b.id(id);
        long time = pm.getEventTime() > 0 ? pm.getEventTime() : pm.getPublishTime();
        if (time > 0) {
            b.timestamp(Instant.ofEpochMilli(time));
        }
        return b.build();
    }

    /** How often the message went through the retry topic (0 for an original). */
    static int reconsumeTimes(org.apache.pulsar.client.api.Message<byte[]> pm) {
        String v = pm.getProperty(RECONSUME_TIMES);
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Milliseconds as the unit the native builder wants. */
    static final TimeUnit MS = TimeUnit.MILLISECONDS;
}
