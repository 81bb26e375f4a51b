package io.anymq.pulsar;

import io.anymq.Message;
import io.anymq.spi.PositionIds;
import io.anymq.spi.ReservedHeaders;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Bytes are kept exactly: a key that is not UTF-8 text is Pulsar's binary key ({@code keyBytes},
 * which the broker holds base64-encoded with {@code hasBase64EncodedKey}), and a binary key a plain
 * client sent arrives as its bytes. Properties are strings, so a header value that is not UTF-8 text
 * travels in base64 under its own name, and the property {@code anymq-base64} lists those names
 * (each URL-encoded, separated by commas); on receipt exactly the listed values are decoded.
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

    /** The property that names the properties whose values are base64 of bytes that are not UTF-8 text. */
    static final String BASE64 = ReservedHeaders.PREFIX + "base64";

    /** Fills a native message from a portable one. */
    static TypedMessageBuilder<byte[]> fill(TypedMessageBuilder<byte[]> b, Message m) {
        b.value(io.anymq.spi.Payloads.shared(m));
        if (m.hasBinaryKey()) {
            b.keyBytes(m.keyBytes()); // the broker holds it base64-encoded and flags it: it comes back as these bytes
        } else if (m.key() != null) {
            b.key(m.key());
        }
        Map<String, String> properties = m.isText() ? new LinkedHashMap<>(m.headers()) : binaryProperties(m);
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

    /** The properties of a message with a header value that is not text: those values in base64, named in {@link #BASE64}. */
    private static Map<String, String> binaryProperties(Message m) {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> encoded = new ArrayList<>();
        m.headersAsBytes().forEach((name, value) -> { // never null, never repeated: the core refuses what is not declared
            String text = utf8(value);
            if (text == null) {
                encoded.add(URLEncoder.encode(name, StandardCharsets.UTF_8));
                text = Base64.getEncoder().encodeToString(value);
            }
            properties.put(name, text);
        });
        if (!encoded.isEmpty()) {
            properties.put(BASE64, String.join(",", encoded));
        }
        return properties;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** The names {@link #BASE64} lists. */
    private static Set<String> base64Names(String list) {
        Set<String> names = new HashSet<>();
        if (list != null) {
            for (String name : list.split(",")) {
                if (!name.isEmpty()) {
                    names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
                }
            }
        }
        return names;
    }

    /**
     * The portable message of a native one received from {@code topic} (the portable name of the
     * consumed topic, also for copies that came through the retry topic).
     */
    static Message toMessage(org.apache.pulsar.client.api.Message<byte[]> pm, String topic) {
        byte[] data = pm.getData();
        // getData() copies the body out of the client's buffer: that copy is taken as it is
        Message.Builder b = io.anymq.spi.Payloads.adopt(Message.builder(), data == null ? new byte[0] : data);
        if (pm.hasBase64EncodedKey()) {
            b.keyBytes(pm.getKeyBytes()); // a binary key (ours or a plain client's keyBytes): its bytes, not the base64 text
        } else if (pm.hasKey()) {
            b.key(pm.getKey());
        }
        Map<String, String> properties = pm.getProperties();
        boolean retryCopy = properties.containsKey(RECONSUME_TIMES);
        Set<String> base64 = base64Names(properties.get(BASE64));
        String id = null;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().equals(ReservedHeaders.ID)) {
                id = e.getValue();
            } else if (e.getKey().equals(BASE64)) {
                continue;
            } else if (base64.contains(e.getKey())) {
                b.headerBytes(e.getKey(), decodeBase64(e.getKey(), e.getValue()));
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

    /** A value {@link #BASE64} names: its bytes, or (not base64 after all) its text, as it came. */
    private static byte[] decodeBase64(String name, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
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
