package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.spi.IdTimes;
import io.anymq.spi.ReservedHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message on RabbitMQ. The payload is the body; headers are AMQP headers (long strings, so any
 * Unicode); the id is the {@code message-id} property; the key travels in the header
 * {@code anymq-key} and, when it fits (255 bytes), as the routing key too; the timestamp to the
 * second in the {@code timestamp} property, and to the millisecond in the id when the id is a ULID
 * of that millisecond (every id the SDK generates), else in the header {@code anymq-timestamp}
 * (epoch ms). Every message is persistent ({@code delivery-mode 2}): a message with no header, key
 * or given id travels with properties only, no headers table.
 *
 * <p>On receipt, a message written by another program keeps every header, whatever its AMQP type
 * (long strings and byte arrays as their bytes, void as a header without a value, the other types as
 * the text {@link AmqpFieldValues} documents: numbers, booleans, ISO-8601 timestamps, tables and
 * arrays as JSON); its key is the routing key when it has no {@code anymq-key}. A header without a
 * value is sent as void. RabbitMQ's own bookkeeping headers ({@code x-death}, {@code x-delivery-count},
 * {@code x-first-death-*}, {@code x-last-death-*}) are not user headers: a message RabbitMQ
 * dead-lettered out of a group's queue gets the SDK's dead-letter headers instead.
 */
final class RabbitMqMessages {
    static final String KEY = ReservedHeaders.PREFIX + "key";
    /** The id, for ids longer than the 255 bytes of {@code message-id}. */
    static final String LONG_ID = ReservedHeaders.ID;
    /** Which delay queue a message is routed to (the delay exchange matches on it). */
    static final String DELAY = ReservedHeaders.PREFIX + "delay";
    /** {@code N@QUEUE}: the message had N deliveries in that queue before it was delayed there again. */
    static final String DELIVERED = ReservedHeaders.PREFIX + "delivered";
    static final String X_DELIVERY_COUNT = "x-delivery-count";
    /** The header that travels as the {@code content_type} property (mq-cloudevents' {@code datacontenttype}). */
    static final String CONTENT_TYPE = "content-type";
    static final String X_DEATH = "x-death";
    private static final int SHORT_STRING_MAX = 255;

    private RabbitMqMessages() {
    }

    static boolean fitsShortString(String s) {
        return s.length() <= SHORT_STRING_MAX / 3 || s.getBytes(StandardCharsets.UTF_8).length <= SHORT_STRING_MAX;
    }

    /** The routing key a message is published with: its key when that fits, else empty. */
    static String routingKey(Message m) {
        if (m.hasBinaryKey()) {
            return ""; // a routing key is a short string (text); the key travels in its header
        }
        String key = m.key();
        return key != null && fitsShortString(key) ? key : "";
    }

    /**
     * The AMQP properties of a message to send. Checks what RabbitMQ would refuse by closing the
     * connection: header names over 255 bytes, and headers that do not fit one frame.
     */
    static AMQP.BasicProperties properties(Message m, int frameMax) {
        Map<String, Object> headers = new LinkedHashMap<>();
        long headerBytes = 0;
        String contentType = null;
        if (m.isText()) {
            for (Map.Entry<String, String> e : m.headers().entrySet()) {
                String name = e.getKey();
                if (contentType == null && isContentType(name, e.getValue())) {
                    contentType = e.getValue(); // the content_type property, where AMQP clients (and Dapr) look for it
                    continue;
                }
                checkName(name);
                headers.put(name, e.getValue());
                headerBytes += name.length() * 3L + e.getValue().length() * 3L + 6;
            }
        } else {
            // bytes that are not UTF-8 go as AMQP byte arrays (field type 'x'), text as strings
            for (Map.Entry<String, byte[]> e : m.headersAsBytes().entrySet()) {
                String name = e.getKey();
                checkName(name);
                byte[] value = e.getValue(); // null: a header without a value, AMQP's void
                String text = value == null ? null : AmqpFieldValues.utf8(value);
                if (contentType == null && text != null && isContentType(name, text)) {
                    contentType = text; // the content_type property, where AMQP clients (and Dapr) look for it
                    continue;
                }
                headers.put(name, text != null ? text : value);
                headerBytes += name.length() * 3L + (value == null ? 0 : value.length) + 6;
            }
        }
        String id = m.id();
        boolean shortId = fitsShortString(id);
        if (!shortId) {
            headers.put(LONG_ID, id);
            headerBytes += id.length() * 3L;
        }
        if (m.hasBinaryKey()) {
            byte[] key = m.keyBytes();
            headers.put(KEY, key);
            headerBytes += key.length;
        } else if (m.key() != null) {
            headers.put(KEY, m.key());
            headerBytes += m.key().length() * 3L;
        }
        Instant ts = m.timestamp();
        if (!(shortId && IdTimes.timestampInId(m))) {
            headers.put(ReservedHeaders.TIMESTAMP, Long.toString(ts.toEpochMilli())); // else the message-id (a ULID) carries it
        }
        if (m.deliverAt() != null) {
            headers.put(ReservedHeaders.DELIVER_AT, Long.toString(m.deliverAt().toEpochMilli()));
        }
        if (frameMax > 0 && headerBytes > frameMax - 4096) {
            long exact = 0;
            for (Map.Entry<String, Object> e : headers.entrySet()) {
                exact += e.getKey().getBytes(StandardCharsets.UTF_8).length + 6 + (e.getValue() instanceof byte[] bytes ? bytes.length
                        : e.getValue() == null ? 0 : e.getValue().toString().getBytes(StandardCharsets.UTF_8).length);
            }
            if (exact > frameMax - 4096) {
                throw new InvalidMessageException("the headers take " + exact + " bytes; AMQP carries them in one frame of at most "
                        + frameMax + " bytes (the connection's frame_max)");
            }
        }
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(shortId ? id : null)
                .contentType(contentType)
                .timestamp(new Date(ts.toEpochMilli()))
                .headers(headers.isEmpty() ? null : headers)
                .build();
    }

    /**
     * Whether a header is the message's content type, which travels as the {@code content_type} property: named exactly
     * {@value #CONTENT_TYPE} (what mq-cloudevents writes for {@code datacontenttype}) and short enough for the
     * property (a short string: at most 255 bytes). Any other spelling or length stays an AMQP header.
     */
    private static boolean isContentType(String name, String value) {
        return name.equals(CONTENT_TYPE) && !value.isEmpty() && fitsShortString(value);
    }

    /** A copy of received properties with other headers: for delaying or dead-lettering a message again. */
    static AMQP.BasicProperties withHeaders(AMQP.BasicProperties p, Map<String, Object> headers) {
        return p.builder().headers(headers).deliveryMode(2).expiration(null).build();
    }

    /** The headers of received properties without RabbitMQ's per-delivery count and our delay routing. */
    static Map<String, Object> headersForResend(AMQP.BasicProperties p) {
        Map<String, Object> h = p.getHeaders() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.getHeaders());
        h.remove(X_DELIVERY_COUNT);
        h.remove(DELAY);
        h.remove(DELIVERED);
        return h;
    }

    /** The deliveries a message had in this queue before it last entered it through a delay (0 if none). */
    static int priorDeliveries(AMQP.BasicProperties p, String queue) {
        Object v = p.getHeaders() == null ? null : p.getHeaders().get(DELIVERED);
        if (v == null) {
            return 0;
        }
        String s = v.toString();
        int at = s.indexOf('@');
        if (at <= 0 || !s.substring(at + 1).equals(queue)) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(s.substring(0, at)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** RabbitMQ's count of earlier deliveries of this message in a quorum queue (0 on the first). */
    static int brokerRedeliveries(AMQP.BasicProperties p) {
        Object v = p.getHeaders() == null ? null : p.getHeaders().get(X_DELIVERY_COUNT);
        return v instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue())) : 0;
    }

    /** The message as it was sent, with the SDK's dead-letter headers when RabbitMQ dead-lettered it. */
    static Message fromAmqp(Envelope envelope, AMQP.BasicProperties p, byte[] body) {
        Message.Builder b = io.anymq.spi.Payloads.adopt(Message.builder(), body); // each delivery's own body
        Map<String, Object> headers = p.getHeaders();
        byte[] key = null;
        String id = p.getMessageId();
        Instant timestamp = p.getTimestamp() == null ? null : p.getTimestamp().toInstant();
        boolean timed = false;
        boolean deadLetterHeaders = false;
        boolean contentTypeHeader = false;
        if (headers != null) {
            for (Map.Entry<String, Object> e : headers.entrySet()) {
                String name = e.getKey();
                Object value = e.getValue();
                if (name.equals(KEY)) {
                    key = bytes(value);
                } else if (name.equals(LONG_ID)) {
                    id = text(value);
                } else if (name.equals(ReservedHeaders.TIMESTAMP)) {
                    Long ms = millis(value);
                    if (ms != null) {
                        timestamp = Instant.ofEpochMilli(ms);
                        timed = true;
                    }
                } else if (name.equals(ReservedHeaders.DELIVER_AT)) {
                    Long ms = millis(value);
                    if (ms != null) {
                        b.deliverAt(Instant.ofEpochMilli(ms));
                    }
                } else if (name.equals(DELAY) || name.equals(DELIVERED) || isBrokerBookkeeping(name)) {
                    // ours or RabbitMQ's, not the user's
                } else {
                    // every AMQP type: strings and byte arrays byte-exact, void as no value, the rest as documented text
                    contentTypeHeader |= name.equals(CONTENT_TYPE);
                    b.headerBytes(name, AmqpFieldValues.bytes(value));
                    deadLetterHeaders |= name.equals(ReservedHeaders.DEAD_LETTER_REASON);
                }
            }
            if (!deadLetterHeaders) {
                addDeadLetterHeaders(b, headers);
            }
        }
        String contentType = p.getContentType();
        if (contentType != null && !contentType.isEmpty() && !contentTypeHeader) {
            b.header(CONTENT_TYPE, contentType); // the content_type property (ours, or a plain AMQP client's) is header content-type
        }
        if (key == null && envelope != null && !envelope.getRoutingKey().isEmpty()
                && RabbitMqNames.topicOfExchange(envelope.getExchange()) != null) {
            key = envelope.getRoutingKey().getBytes(StandardCharsets.UTF_8); // written by a plain AMQP client to the topic exchange
        }
        b.keyBytes(key == null || key.length == 0 ? null : key);
        b.id(id == null || id.isEmpty() ? null : id);
        if (!timed) {
            // a ULID message-id carries the milliseconds the timestamp property (whole seconds) lacks
            Instant inId = IdTimes.timeOf(id);
            if (inId != null && (timestamp == null || timestamp.getEpochSecond() == inId.getEpochSecond())) {
                timestamp = inId;
            }
        }
        b.timestamp(timestamp);
        return b.build();
    }

    private static boolean isBrokerBookkeeping(String name) {
        return name.equals(X_DEATH) || name.equals(X_DELIVERY_COUNT) || name.startsWith("x-first-death-")
                || name.startsWith("x-last-death-");
    }

    /**
     * From the most recent {@code x-death} entry that says a group's queue gave the message up
     * (rejected, or over its delivery limit): why, and from which topic and group.
     */
    @SuppressWarnings("unchecked")
    private static void addDeadLetterHeaders(Message.Builder b, Map<String, Object> headers) {
        Object deaths = headers.get(X_DEATH);
        if (!(deaths instanceof List<?> list)) {
            return;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> death)) {
                continue;
            }
            String reason = text(death.get("reason"));
            String queue = text(death.get("queue"));
            String[] tg = RabbitMqNames.topicAndGroupOfQueue(queue);
            if (tg == null || reason == null || !(reason.equals("rejected") || reason.equals("delivery_limit"))) {
                continue;
            }
            b.header(ReservedHeaders.DEAD_LETTER_REASON, reason.equals("rejected") ? "rejected" : "max-deliveries");
            b.header(ReservedHeaders.ORIGINAL_TOPIC, tg[0]);
            b.header(ReservedHeaders.ORIGINAL_GROUP, tg[1]);
            return;
        }
    }

    private static Long millis(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String s = text(value);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void checkName(String name) {
        if (!fitsShortString(name)) {
            throw new InvalidMessageException("header name '" + name.substring(0, 20) + "...' is longer than AMQP's 255 bytes");
        }
    }

    /** A header value's bytes: those of a long string or byte array as they are, else the UTF-8 of its text (or null). */
    static byte[] bytes(Object value) {
        if (value instanceof LongString ls) {
            return ls.getBytes();
        }
        if (value instanceof byte[] b) {
            return b;
        }
        String s = text(value);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** A header value as text: strings, numbers and booleans; null for tables, arrays, dates and bytes. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LongString ls) {
            return new String(ls.getBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return value.toString();
        }
        return null;
    }
}
