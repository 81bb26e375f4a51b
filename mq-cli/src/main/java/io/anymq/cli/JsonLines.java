package io.anymq.cli;

import io.anymq.Message;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A message from one line of {@code mq send --input jsonl}: the shape {@code mq receive --format json}
 * prints, so its output can be sent again. {@code payload} (required; text, or base64 with
 * {@code "payloadEncoding":"base64"}), {@code key} and {@code keyEncoding}, {@code headers} (an object of
 * text or null values) and {@code headerEncodings}, {@code id}, {@code timestamp} and {@code deliverAt}
 * (ISO-8601 instants). {@code deliveryCount} is the receiver's count: accepted and not sent. Any other
 * field is refused, so that a misspelt one does not go unnoticed.
 */
final class JsonLines {
    static final List<String> FIELDS = List.of("payload", "payloadEncoding", "key", "keyEncoding", "headers", "headerEncodings",
            "id", "timestamp", "deliverAt", "deliveryCount");

    private JsonLines() {
    }

    /**
     * The message the line describes.
     *
     * @throws Json.InvalidJsonException the line is not such an object (the message names the field and the problem)
     */
    static Message message(String line) {
        Map<String, Object> o = Json.parseObject(line);
        for (String name : o.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new Json.InvalidJsonException("unknown field " + Json.string(name) + "; the fields are " + String.join(", ", FIELDS));
            }
        }
        if (!o.containsKey("payload")) {
            throw new Json.InvalidJsonException("no \"payload\" (an empty payload is \"payload\":\"\")");
        }
        Message.Builder b = Message.builder();
        String payload = text(o, "payload");
        if (payload == null) {
            throw new Json.InvalidJsonException("\"payload\" is null (an empty payload is \"payload\":\"\")");
        }
        // text goes in as text: the builder refuses a lone surrogate (from a \\u escape) instead of changing it
        if (encoding(o, "payloadEncoding")) {
            b.payload(base64("payload", payload));
        } else {
            b.payload(payload);
        }
        String key = text(o, "key");
        boolean base64Key = encoding(o, "keyEncoding");
        if (key != null) {
            if (base64Key) {
                b.keyBytes(base64("key", key));
            } else {
                b.key(key);
            }
        }
        Map<String, Object> encodings = object(o, "headerEncodings");
        Map<String, Object> headers = object(o, "headers");
        for (String name : encodings.keySet()) {
            if (!headers.containsKey(name)) {
                throw new Json.InvalidJsonException("\"headerEncodings\" names " + Json.string(name) + ", which is not in \"headers\"");
            }
        }
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            if (h.getValue() != null && !(h.getValue() instanceof String)) {
                throw new Json.InvalidJsonException("header " + Json.string(h.getKey()) + " must be a string or null");
            }
            boolean base64 = encoding(encodings, h.getKey(), "headerEncodings." + h.getKey());
            if (h.getValue() == null) {
                b.headerBytes(h.getKey(), null);
            } else if (base64) {
                b.headerBytes(h.getKey(), base64("header " + Json.string(h.getKey()), (String) h.getValue()));
            } else {
                b.header(h.getKey(), (String) h.getValue());
            }
        }
        b.id(text(o, "id"));
        b.timestamp(instant(o, "timestamp"));
        b.deliverAt(instant(o, "deliverAt"));
        Object count = o.get("deliveryCount");
        if (count != null && !(count instanceof BigDecimal)) {
            throw new Json.InvalidJsonException("\"deliveryCount\" must be a number or null");
        }
        return b.build();
    }

    private static String text(Map<String, Object> o, String field) {
        Object v = o.get(field);
        if (v != null && !(v instanceof String)) {
            throw new Json.InvalidJsonException(Json.string(field) + " must be a string or null");
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> o, String field) {
        Object v = o.get(field);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new Json.InvalidJsonException(Json.string(field) + " must be an object");
        }
        return (Map<String, Object>) v;
    }

    /** Whether the field says base64; absent, null and "utf-8" mean text. */
    private static boolean encoding(Map<String, Object> o, String field) {
        return encoding(o, field, field);
    }

    private static boolean encoding(Map<String, Object> o, String field, String shownAs) {
        Object v = o.get(field);
        if (v == null || "utf-8".equals(v)) {
            return false;
        }
        if ("base64".equals(v)) {
            return true;
        }
        throw new Json.InvalidJsonException(Json.string(shownAs) + " must be \"utf-8\" or \"base64\", not " + show(v));
    }

    private static byte[] base64(String what, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Json.InvalidJsonException(what + " is not base64: " + e.getMessage());
        }
    }

    private static Instant instant(Map<String, Object> o, String field) {
        String v = text(o, field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new Json.InvalidJsonException(Json.string(field) + " must be an ISO-8601 instant such as 2026-11-30T09:00:00Z, not " + Json.string(v));
        }
    }

    private static String show(Object v) {
        return v instanceof String s ? Json.string(s) : String.valueOf(v);
    }
}
