package io.anymq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable message: a payload of bytes (possibly empty), an optional key (the unit of ordering
 * and partitioning), ordered Unicode headers, an id, a timestamp and an optional delivery time.
 *
 * <p><b>Text and bytes.</b> Keys and header values are text in the common case ({@link #key()},
 * {@link #headers()}). They can also be any bytes ({@link Builder#keyBytes(byte[])},
 * {@link Builder#headerBytes(String, byte[])}), read back unchanged with {@link #keyBytes()},
 * {@link #headerBytes(String)} and {@link #headersAsBytes()}; bytes that are valid UTF-8 are simply
 * text. Data is never changed: a String accessor asked for bytes that are not UTF-8 (or a header
 * without a value, which Kafka allows) throws {@link BinaryDataException} instead of decoding with
 * replacement characters; text with a lone surrogate (which has no UTF-8 form) is refused when it is
 * given; a backend whose broker cannot hold such bytes refuses the send
 * ({@link Capability#BINARY_DATA}, {@link Capability#NULL_HEADER_VALUES}).
 *
 * <p>The SDK stamps the id (when the sender gives none) and the timestamp at send; a message that
 * is sent twice keeps the id it was given, which is what broker-side de-duplication keys on.
 * Header names that start with {@link #RESERVED_HEADER_PREFIX} belong to the SDK: a send that
 * carries one is refused.
 *
 * <pre>{@code
 * Message m = Message.builder().payload("hello").key("customer-42").header("trace", "abc").build();
 * }</pre>
 */
public final class Message {
    /** The earliest time a message may carry (timestamp, deliverAt): 1970-01-01T00:00:00Z. */
    public static final Instant EARLIEST_TIME = Instant.EPOCH;
    /** The latest time a message may carry: 9999-12-31T23:59:59.999Z. */
    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * Refuses a send whose timestamp or delivery time lies outside {@link #EARLIEST_TIME} ..
     * {@link #LATEST_TIME}: brokers hold times as milliseconds since 1970, and such a time cannot be
     * carried unchanged. (What arrives from a broker is not checked: it is what the broker holds.)
     */
    static void checkTimesForSend(Message m) {
        checkTime("timestamp", m.timestamp);
        checkTime("deliverAt", m.deliverAt);
    }

    private static void checkTime(String what, Instant t) {
        if (t != null && (t.isBefore(EARLIEST_TIME) || t.isAfter(LATEST_TIME))) {
            throw new InvalidMessageException(what + " must lie between " + EARLIEST_TIME + " and " + LATEST_TIME + ": " + t);
        }
    }

    /** Header names with this prefix (compared ignoring case) are the SDK's own. */
    public static final String RESERVED_HEADER_PREFIX = "anymq-";

    private static final byte[] EMPTY = new byte[0];

    /** A header without a value, in the builder. */
    private static final Object NULL_VALUE = new Object();

    private static final long NO_STAMP = Long.MIN_VALUE;

    private final byte[] payload;
    /** The key when it is text (or null). */
    private final String key;
    /** The key when it is not UTF-8 text, else null (then {@link #key} is null). */
    private final byte[] binaryKey;
    /** Every header, when all are text; null when {@link #byteHeaders} holds them. */
    private final Map<String, String> headers;
    /** Every header as bytes (values may be null), when one is not text; else null. */
    private final Map<String, byte[]> byteHeaders;
    /** The id; when the core stamped one, made on first read from {@link #idCount} and {@link #stampMillis}. */
    private String id;
    /** The timestamp; when the core stamped it, made on first read from {@link #stampMillis}. */
    private Instant timestamp;
    private final Instant deliverAt;
    private final long stampMillis;
    private final long idCount;

    private Message(Message fields, String id, Instant timestamp, long stampMillis, long idCount) {
        this(fields.payload, fields.key, fields.binaryKey, fields.headers, fields.byteHeaders, id, timestamp, fields.deliverAt,
                stampMillis, idCount);
    }

    private Message(Message fields, String id, Instant timestamp) {
        this(fields, id, timestamp, NO_STAMP, NO_STAMP);
    }

    private Message(byte[] payload, String key, byte[] binaryKey, Map<String, String> headers, Map<String, byte[]> byteHeaders,
                    String id, Instant timestamp, Instant deliverAt, long stampMillis, long idCount) {
        this.payload = payload;
        this.key = key;
        this.binaryKey = binaryKey;
        this.headers = headers;
        this.byteHeaders = byteHeaders;
        this.id = id;
        this.timestamp = timestamp;
        this.deliverAt = deliverAt;
        this.stampMillis = stampMillis;
        this.idCount = idCount;
    }

    /** A message with this payload and nothing else. The array is copied. */
    public static Message of(byte[] payload) {
        return builder().payload(payload).build();
    }

    /** A message whose payload is the UTF-8 encoding of the text. */
    public static Message of(String text) {
        return builder().payload(text).build();
    }

    /**
     * A builder for a message: an empty payload, no key, no headers, no id or timestamp (stamped at
     * send), delivered at once.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this message's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.payload = payload;
        b.key = key;
        b.binaryKey = binaryKey;
        if (byteHeaders != null) {
            b.headers = new LinkedHashMap<>();
            byteHeaders.forEach((name, value) -> {
                String text = value == null ? null : text(value);
                b.headers.put(name, value == null ? NULL_VALUE : text != null ? text : value);
            });
            b.binaryHeaders = true;
        } else {
            b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
        }
        b.id = id();
        b.timestamp = timestamp();
        b.deliverAt = deliverAt;
        return b;
    }

    /** A copy of the payload. Use {@link #payloadBuffer()} to read it without copying. */
    public byte[] payload() {
        return payload.length == 0 ? EMPTY : payload.clone();
    }

    /** A read-only view of the payload, without a copy. */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** The payload's size in bytes. */
    public int payloadSize() {
        return payload.length;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The key as text.
     *
     * @return the key, or null when the message has none
     * @throws BinaryDataException the key is bytes that are not UTF-8 text (read it with {@link #keyBytes()})
     */
    public String key() {
        if (binaryKey != null) {
            throw BinaryDataException.key(binaryKey);
        }
        return key;
    }

    /**
     * The key's bytes, exactly as given or received (a text key as its UTF-8 encoding).
     *
     * @return a copy of the key's bytes, or null when the message has none
     */
    public byte[] keyBytes() {
        return binaryKey != null ? binaryKey.clone() : key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the message has a key, text or not.
     *
     * @return true when it has one
     */
    public boolean hasKey() {
        return key != null || binaryKey != null;
    }

    /**
     * Whether the key is bytes that are not UTF-8 text, so that {@link #key()} throws.
     *
     * @return true for such a key
     */
    public boolean hasBinaryKey() {
        return binaryKey != null;
    }

    /**
     * Whether the key and every header value are text, so that no String accessor throws.
     *
     * @return false when the key or a header value is bytes that are not UTF-8, or a header has no value
     */
    public boolean isText() {
        return binaryKey == null && byteHeaders == null;
    }

    /**
     * The headers as text, in the order they were added.
     *
     * @return an unmodifiable map, never null
     * @throws BinaryDataException a header value is bytes that are not UTF-8 text, or a header has no
     *                             value (read them with {@link #headersAsBytes()})
     */
    public Map<String, String> headers() {
        if (byteHeaders != null) {
            for (Map.Entry<String, byte[]> e : byteHeaders.entrySet()) {
                if (e.getValue() == null || text(e.getValue()) == null) {
                    throw BinaryDataException.header(e.getKey(), e.getValue());
                }
            }
        }
        return headers;
    }

    /**
     * One header's value as text.
     *
     * @param name the header's name
     * @return its value, or null when the message has no such header
     * @throws BinaryDataException the value is bytes that are not UTF-8 text, or the header has none
     */
    public String header(String name) {
        if (byteHeaders == null) {
            return headers.get(name);
        }
        if (!byteHeaders.containsKey(name)) {
            return null;
        }
        byte[] value = byteHeaders.get(name);
        String text = value == null ? null : text(value);
        if (text == null) {
            throw BinaryDataException.header(name, value);
        }
        return text;
    }

    /**
     * One header's value as bytes, exactly as given or received (a text value as its UTF-8 encoding).
     *
     * @param name the header's name
     * @return a copy of its bytes, or null when the message has no such header or the header has no
     *         value ({@link #headersAsBytes()} tells the two apart)
     */
    public byte[] headerBytes(String name) {
        if (byteHeaders == null) {
            String v = headers.get(name);
            return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
        }
        byte[] v = byteHeaders.get(name);
        return v == null ? null : v.clone();
    }

    /**
     * Every header with its value as bytes, in order; a header without a value maps to null.
     *
     * @return an unmodifiable copy (the arrays are copies too), never null
     */
    public Map<String, byte[]> headersAsBytes() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        if (byteHeaders == null) {
            headers.forEach((name, value) -> copy.put(name, value.getBytes(StandardCharsets.UTF_8)));
        } else {
            byteHeaders.forEach((name, value) -> copy.put(name, value == null ? null : value.clone()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The key for per-key ordering: the text, or the bytes (compared by content); null without a key. */
    Object orderingKey() {
        return binaryKey != null ? ByteBuffer.wrap(binaryKey) : key;
    }

    /** Whether a header value is bytes that are not UTF-8 (so the broker must hold bytes). */
    boolean hasBinaryHeaderValue() {
        if (byteHeaders != null) {
            for (byte[] v : byteHeaders.values()) {
                if (v != null && text(v) == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a header has no value (only Kafka holds that). */
    boolean hasNullHeaderValue() {
        return byteHeaders != null && byteHeaders.containsValue(null);
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String text(byte[] bytes) {
        String fast = new String(bytes, StandardCharsets.UTF_8); // malformed input would show as U+FFFD
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The index of the first lone surrogate in the text (which has no UTF-8 form), or -1. */
    static int loneSurrogate(CharSequence text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String checkedText(String what, String text) {
        int i = loneSurrogate(text);
        if (i >= 0) {
            throw new InvalidMessageException(what + " has a lone surrogate (U+" + String.format("%04X", (int) text.charAt(i))
                    + ") at index " + i + ": it has no UTF-8 form and would be changed; give the bytes instead");
        }
        return text;
    }

    /** The id; null only on a message that has not been sent yet and was given none. */
    public String id() {
        String i = id;
        if (i == null && idCount != NO_STAMP) {
            i = Ids.format(stampMillis, idCount); // the same string every time: a benign race
            id = i;
        }
        return i;
    }

    /** When the message was sent; null only on a message that has not been sent yet and was given none. */
    public Instant timestamp() {
        Instant t = timestamp;
        if (t == null && stampMillis != NO_STAMP) {
            t = Instant.ofEpochMilli(stampMillis);
            timestamp = t;
        }
        return t;
    }

    /** The earliest time the message may be delivered, or null for at once. */
    public Instant deliverAt() {
        return deliverAt;
    }

    /**
     * This message with the id and timestamp filled in where they are missing. Shares the payload;
     * returns this message when nothing is missing.
     */
    Message stamped(String newId, Instant now) {
        if (id() != null && timestamp() != null) {
            return this;
        }
        return new Message(this, id() != null ? id() : newId, timestamp() != null ? timestamp() : now);
    }

    /**
     * This message with a generated id and the send time where they are missing, both made lazily:
     * nothing is formatted until someone reads them.
     */
    Message stampedLazily(long nowMillis) {
        if (id != null && timestamp != null || stampMillis != NO_STAMP) {
            return this;
        }
        if (id == null && timestamp == null) {
            return new Message(this, null, null, nowMillis, Ids.nextCount());
        }
        return stamped(id != null ? id : Ids.next(), timestamp != null ? timestamp : Instant.ofEpochMilli(nowMillis));
    }

    /**
     * This message stamped for a driver that takes the id, the timestamp or both from the broker's
     * position: what the driver takes is left null when missing, the rest is stamped as usual.
     */
    Message stampedFor(long nowMillis, boolean stampId, boolean stampTime) {
        if (stampId && stampTime) {
            return stampedLazily(nowMillis);
        }
        if (stampTime) {
            if (id != null) {
                return stampedLazily(nowMillis);
            }
            if (timestamp != null || stampMillis != NO_STAMP) {
                return this;
            }
            return new Message(this, null, null, nowMillis, NO_STAMP);
        }
        if (stampId && id() == null) {
            return new Message(this, Ids.next(), timestamp());
        }
        return this;
    }

    /** This message with one more header, even a reserved one; used by the core (dead-lettering). */
    Message withHeader(String name, String value) {
        // the stamp is carried as it is (id and timestamp fields, and the lazy stamp behind them): adding a header
        // does not format an id that nobody asked for
        if (byteHeaders != null) {
            Map<String, byte[]> copy = new LinkedHashMap<>(byteHeaders);
            copy.put(name, value.getBytes(StandardCharsets.UTF_8));
            return new Message(payload, key, binaryKey, null, Collections.unmodifiableMap(copy), id, timestamp, deliverAt,
                    stampMillis, idCount);
        }
        Map<String, String> withIt;
        if (headers.isEmpty()) {
            withIt = Map.of(name, value); // one header (a trace context on a message without any): no map to copy
        } else {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            withIt = Collections.unmodifiableMap(copy);
        }
        return new Message(payload, key, binaryKey, withIt, null, id, timestamp, deliverAt, stampMillis, idCount);
    }

    /** The first reserved header name, or null. */
    String firstReservedHeader() {
        Map<String, ?> all = byteHeaders != null ? byteHeaders : headers;
        if (all.isEmpty()) {
            return null;
        }
        for (String name : all.keySet()) {
            if (name.regionMatches(true, 0, RESERVED_HEADER_PREFIX, 0, RESERVED_HEADER_PREFIX.length())) {
                return name;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message m)) {
            return false;
        }
        return Arrays.equals(payload, m.payload) && Objects.equals(key, m.key) && Arrays.equals(binaryKey, m.binaryKey)
                && Objects.equals(headers, m.headers) && sameBytes(byteHeaders, m.byteHeaders)
                && Objects.equals(id(), m.id()) && Objects.equals(timestamp(), m.timestamp()) && Objects.equals(deliverAt, m.deliverAt);
    }

    private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!b.containsKey(e.getKey()) || !Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = byteHeaders == null ? 0 : byteHeaders.keySet().hashCode();
        return Objects.hash(Arrays.hashCode(payload), key, Arrays.hashCode(binaryKey), headers, h, id(), timestamp(), deliverAt);
    }

    /** Describes the message without its payload bytes (which may be large or secret). */
    @Override
    public String toString() {
        String k = binaryKey != null ? "(" + binaryKey.length + " bytes, not UTF-8)" : key;
        Map<String, ?> all = byteHeaders != null ? byteHeaders : headers;
        return "Message{id=" + id() + ", key=" + k + ", headers=" + all.keySet() + ", payload=" + payload.length
                + " bytes, timestamp=" + timestamp() + (deliverAt != null ? ", deliverAt=" + deliverAt : "") + "}";
    }

    /** Builds a {@link Message}. Not thread-safe; each {@link #build()} gives an independent message. */
    public static final class Builder {
        private byte[] payload = EMPTY;
        private String key;
        private byte[] binaryKey;
        /** Values: String, byte[] (not UTF-8 text) or {@link #NULL_VALUE}. */
        private Map<String, Object> headers;
        /** Whether a value in {@link #headers} may be other than a String. */
        private boolean binaryHeaders;
        private String id;
        private Instant timestamp;
        private Instant deliverAt;

        private Builder() {
        }

        /**
         * The payload; the array is copied.
         *
         * @param bytes the payload, possibly empty
         * @return this builder
         * @throws InvalidMessageException the array is null (an empty payload is {@code new byte[0]})
         */
        public Builder payload(byte[] bytes) {
            if (bytes == null) {
                throw new InvalidMessageException("payload is null; an empty payload is new byte[0]");
            }
            this.payload = bytes.length == 0 ? EMPTY : bytes.clone();
            return this;
        }

        /**
         * The payload, from the buffer's remaining bytes (copied; the buffer's position is not moved).
         *
         * @param buffer the payload
         * @return this builder
         * @throws InvalidMessageException the buffer is null
         */
        public Builder payload(ByteBuffer buffer) {
            if (buffer == null) {
                throw new InvalidMessageException("payload is null; an empty payload is an empty buffer");
            }
            ByteBuffer b = buffer.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            this.payload = bytes.length == 0 ? EMPTY : bytes;
            return this;
        }

        /**
         * The payload as the UTF-8 encoding of the text.
         *
         * @param text the payload, possibly empty
         * @return this builder
         * @throws InvalidMessageException the text is null, or has a lone surrogate (no UTF-8 form)
         */
        public Builder payload(String text) {
            if (text == null) {
                throw new InvalidMessageException("payload is null; an empty payload is \"\"");
            }
            this.payload = text.isEmpty() ? EMPTY : checkedText("the payload", text).getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * The key as text; null for none. An empty key is refused (it would mean different things on
         * different brokers).
         *
         * @param key the key, or null
         * @return this builder
         * @throws InvalidMessageException the key is empty or has a lone surrogate (no UTF-8 form)
         */
        public Builder key(String key) {
            if (key != null && key.isEmpty()) {
                throw new InvalidMessageException("a message key may not be empty; use null for no key");
            }
            this.key = key == null ? null : checkedText("the key", key);
            this.binaryKey = null;
            return this;
        }

        /**
         * The key as bytes, kept exactly (the array is copied); null for none. Bytes that are valid
         * UTF-8 are a text key, the same as {@link #key(String)}; other bytes need a backend with
         * {@link Capability#BINARY_DATA}.
         *
         * @param key the key's bytes, or null
         * @return this builder
         * @throws InvalidMessageException the key is empty
         */
        public Builder keyBytes(byte[] key) {
            if (key != null && key.length == 0) {
                throw new InvalidMessageException("a message key may not be empty; use null for no key");
            }
            String text = key == null ? null : text(key);
            this.key = text;
            this.binaryKey = key != null && text == null ? key.clone() : null;
            return this;
        }

        /**
         * Adds or replaces a header with a text value.
         *
         * @param name  the name, not empty
         * @param value the value, possibly empty, not null
         * @return this builder
         * @throws InvalidMessageException the name is null or empty, the value null, or either has a
         *                                 lone surrogate (no UTF-8 form)
         */
        public Builder header(String name, String value) {
            checkName(name);
            if (value == null) {
                throw new InvalidMessageException("header '" + name + "' has a null value");
            }
            put(name, checkedText("header '" + name + "'", value));
            return this;
        }

        /**
         * Adds or replaces a header with a value of bytes, kept exactly (the array is copied). Bytes
         * that are valid UTF-8 are a text value, the same as {@link #header(String, String)}; other
         * bytes need a backend with {@link Capability#BINARY_DATA}; null (a header without a value,
         * as Kafka has) needs {@link Capability#NULL_HEADER_VALUES}.
         *
         * @param name  the name, not empty
         * @param value the value's bytes, or null for a header without a value
         * @return this builder
         * @throws InvalidMessageException the name is null, empty or has a lone surrogate
         */
        public Builder headerBytes(String name, byte[] value) {
            checkName(name);
            String text = value == null ? null : text(value);
            if (text != null) {
                put(name, text);
            } else {
                put(name, value == null ? NULL_VALUE : value.clone());
                binaryHeaders = true;
            }
            return this;
        }

        private void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new InvalidMessageException("a header name may not be null or empty");
            }
            checkedText("header name '" + name + "'", name);
        }

        private void put(String name, Object value) {
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
        }

        /** Adds or replaces every header of the map, in its iteration order. */
        public Builder headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        /** The id; when none is given, the SDK generates one at send. */
        public Builder id(String id) {
            if (id != null && id.isEmpty()) {
                throw new InvalidMessageException("a message id may not be empty; use null to let the SDK generate one");
            }
            this.id = id;
            return this;
        }

        /** The timestamp; when none is given, the SDK stamps the send time. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** The earliest delivery time (delayed delivery), or null for at once. */
        public Builder deliverAt(Instant deliverAt) {
            this.deliverAt = deliverAt;
            return this;
        }

        /**
         * Makes the message.
         *
         * @return the message
         */
        @SuppressWarnings("unchecked")
        public Message build() {
            if (binaryHeaders && headers.values().stream().anyMatch(v -> !(v instanceof String))) {
                Map<String, byte[]> bytes = new LinkedHashMap<>();
                headers.forEach((name, v) -> bytes.put(name, v == NULL_VALUE ? null
                        : v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : ((byte[]) v).clone()));
                return new Message(payload, key, binaryKey, null, Collections.unmodifiableMap(bytes), id, timestamp, deliverAt,
                        NO_STAMP, NO_STAMP);
            }
            Map<String, String> h = headers == null || headers.isEmpty()
                    ? Map.of()
                    : Collections.unmodifiableMap((Map<String, String>) (Map<String, ?>) new LinkedHashMap<>(headers));
            return new Message(payload, key, binaryKey, h, null, id, timestamp, deliverAt, NO_STAMP, NO_STAMP);
        }
    }
}
