package io.anymq;

import java.nio.ByteBuffer;
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

    private static final long NO_STAMP = Long.MIN_VALUE;

    private final byte[] payload;
    private final String key;
    private final Map<String, String> headers;
    /** The id; when the core stamped one, made on first read from {@link #idCount} and {@link #stampMillis}. */
    private String id;
    /** The timestamp; when the core stamped it, made on first read from {@link #stampMillis}. */
    private Instant timestamp;
    private final Instant deliverAt;
    private final long stampMillis;
    private final long idCount;

    private Message(byte[] payload, String key, Map<String, String> headers, String id, Instant timestamp, Instant deliverAt) {
        this(payload, key, headers, id, timestamp, deliverAt, NO_STAMP, NO_STAMP);
    }

    private Message(byte[] payload, String key, Map<String, String> headers, String id, Instant timestamp, Instant deliverAt,
                    long stampMillis, long idCount) {
        this.payload = payload;
        this.key = key;
        this.headers = headers;
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
        b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
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

    /** The key, or null when the message has none. */
    public String key() {
        return key;
    }

    /** The headers in the order they were added; unmodifiable, never null. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The header's value, or null. */
    public String header(String name) {
        return headers.get(name);
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
        return new Message(payload, key, headers, id() != null ? id() : newId, timestamp() != null ? timestamp() : now, deliverAt);
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
            return new Message(payload, key, headers, null, null, deliverAt, nowMillis, Ids.nextCount());
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
            return new Message(payload, key, headers, null, null, deliverAt, nowMillis, NO_STAMP);
        }
        if (stampId && id() == null) {
            return new Message(payload, key, headers, Ids.next(), timestamp(), deliverAt);
        }
        return this;
    }

    /** This message with one more header, even a reserved one; used by the core (dead-lettering). */
    Message withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Message(payload, key, Collections.unmodifiableMap(copy), id(), timestamp(), deliverAt);
    }

    /** The first reserved header name, or null. */
    String firstReservedHeader() {
        if (headers.isEmpty()) {
            return null;
        }
        for (String name : headers.keySet()) {
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
        return Arrays.equals(payload, m.payload) && Objects.equals(key, m.key) && headers.equals(m.headers)
                && Objects.equals(id(), m.id()) && Objects.equals(timestamp(), m.timestamp()) && Objects.equals(deliverAt, m.deliverAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(payload), key, headers, id(), timestamp(), deliverAt);
    }

    /** Describes the message without its payload bytes (which may be large or secret). */
    @Override
    public String toString() {
        return "Message{id=" + id() + ", key=" + key + ", headers=" + headers.keySet() + ", payload=" + payload.length
                + " bytes, timestamp=" + timestamp() + (deliverAt != null ? ", deliverAt=" + deliverAt : "") + "}";
    }

    /** Builds a {@link Message}. Not thread-safe; each {@link #build()} gives an independent message. */
    public static final class Builder {
        private byte[] payload = EMPTY;
        private String key;
        private Map<String, String> headers;
        private String id;
        private Instant timestamp;
        private Instant deliverAt;

        private Builder() {
        }

        /** The payload; the array is copied. Null means empty. */
        public Builder payload(byte[] bytes) {
            this.payload = bytes == null || bytes.length == 0 ? EMPTY : bytes.clone();
            return this;
        }

        /** The payload, from the buffer's remaining bytes (copied; the buffer's position is not moved). */
        public Builder payload(ByteBuffer buffer) {
            ByteBuffer b = buffer.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            this.payload = bytes.length == 0 ? EMPTY : bytes;
            return this;
        }

        /** The payload as the UTF-8 encoding of the text. */
        public Builder payload(String text) {
            this.payload = text == null || text.isEmpty() ? EMPTY : text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The key; null for none. An empty key is refused (it would mean different things on different brokers). */
        public Builder key(String key) {
            if (key != null && key.isEmpty()) {
                throw new InvalidMessageException("a message key may not be empty; use null for no key");
            }
            this.key = key;
            return this;
        }

        /** Adds or replaces a header. Names may not be empty; values may be empty but not null. */
        public Builder header(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new InvalidMessageException("a header name may not be null or empty");
            }
            if (value == null) {
                throw new InvalidMessageException("header '" + name + "' has a null value");
            }
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
            return this;
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
        public Message build() {
            Map<String, String> h = headers == null || headers.isEmpty()
                    ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            return new Message(payload, key, h, id, timestamp, deliverAt);
        }
    }
}
