package io.anymq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p><b>Repeated header names.</b> Kafka and NATS let a header name occur more than once in a
 * message. Such a message keeps every field, in order ({@link Builder#addHeader(String, String)},
 * {@link #headerValues(String)}, {@link #headerFields()}); an accessor that returns one value per name
 * ({@link #header(String)}, {@link #headers()}, ...) throws {@link RepeatedHeaderException} for a name
 * that has several instead of picking one, and a backend whose broker holds one value per name
 * refuses the send ({@link Capability#REPEATED_HEADERS}).
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
    static {
        // drivers read the payload without a copy through io.anymq.spi.Payloads (not an application API)
        io.anymq.spi.Payloads.install(new io.anymq.spi.Payloads.Access() {
            @Override
            public byte[] payload(Message message) {
                return message.payload;
            }

            @Override
            public void adopt(Builder builder, byte[] owned) {
                builder.payload = owned.length == 0 ? EMPTY : owned;
            }

            @Override
            public String generatedId(Message message, String prefix) {
                // a lazy stamp: the id is Ids.format(stampMillis, idCount) and the timestamp is stampMillis
                return message.idCount == NO_STAMP ? null : Ids.format(prefix, message.stampMillis, message.idCount);
            }

            @Override
            public void timestampMillis(Builder builder, long millis) {
                builder.timestamp = null;
                builder.stampMillis = millis;
            }

            @Override
            public boolean generatedStamp(Message message) {
                return message.idCount != NO_STAMP;
            }

            @Override
            public void namedAtReceipt(Builder builder, long millis) {
                builder.id = null;
                builder.timestamp = null;
                builder.stampMillis = millis;
                builder.idCount = Ids.nextCount();
            }
        });
    }

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
        Instant t = m.timestamp;
        if (t == null && m.idCount == NO_STAMP && m.stampMillis != NO_STAMP) {
            t = m.timestamp(); // a time a receiving driver gave by its milliseconds (IdTimes.timestampMillis): any ULID's
        }
        checkTime("timestamp", t);
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
    /** Every header as bytes (values may be null), when one is not text and no name repeats; else null. */
    private final Map<String, byte[]> byteHeaders;
    /** Every header field in order (values may be null), when a name repeats; else null (then the maps hold them). */
    private final List<Map.Entry<String, byte[]>> fields;
    /** The id; when the core stamped one, made on first read from {@link #idCount} and {@link #stampMillis}. */
    private String id;
    /** The timestamp; when the core stamped it, made on first read from {@link #stampMillis}. */
    private Instant timestamp;
    private final Instant deliverAt;
    private final long stampMillis;
    private final long idCount;

    private Message(Message fields, String id, Instant timestamp, long stampMillis, long idCount) {
        this(fields.payload, fields.key, fields.binaryKey, fields.headers, fields.byteHeaders, fields.fields, id, timestamp,
                fields.deliverAt, stampMillis, idCount);
    }

    private Message(Message fields, String id, Instant timestamp) {
        this(fields, id, timestamp, NO_STAMP, NO_STAMP);
    }

    private Message(byte[] payload, String key, byte[] binaryKey, Map<String, String> headers, Map<String, byte[]> byteHeaders,
                    List<Map.Entry<String, byte[]>> fields, String id, Instant timestamp, Instant deliverAt, long stampMillis,
                    long idCount) {
        this.payload = payload;
        this.key = key;
        this.binaryKey = binaryKey;
        this.headers = headers;
        this.byteHeaders = byteHeaders;
        this.fields = fields;
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
        if (fields != null) {
            b.fields = new ArrayList<>();
            fields.forEach(f -> b.fields.add(Map.entry(f.getKey(), builderValue(f.getValue()))));
            b.binaryHeaders = true;
        } else if (byteHeaders != null) {
            b.headers = new LinkedHashMap<>();
            byteHeaders.forEach((name, value) -> b.headers.put(name, builderValue(value)));
            b.binaryHeaders = true;
        } else {
            b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
        }
        b.id = id();
        b.timestamp = timestamp();
        b.deliverAt = deliverAt;
        return b;
    }

    /** A header value as the builder holds it. */
    private static Object builderValue(byte[] value) {
        String text = value == null ? null : text(value);
        return value == null ? NULL_VALUE : text != null ? text : value;
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
     * @return false when the key or a header value is bytes that are not UTF-8, a header has no value, or a
     *         header name occurs more than once
     */
    public boolean isText() {
        return binaryKey == null && byteHeaders == null && fields == null;
    }

    /**
     * Whether a header name occurs more than once (as Kafka and NATS allow), so that the one-value
     * accessors throw {@link RepeatedHeaderException} for it.
     *
     * @return true when a name repeats
     */
    public boolean hasRepeatedHeaders() {
        return fields != null;
    }

    /**
     * Every value of one header as text, in order.
     *
     * @param name the header's name
     * @return an unmodifiable list: empty when the message has no such header, one value in the common case
     * @throws BinaryDataException a value is bytes that are not UTF-8 text, or has none
     */
    public List<String> headerValues(String name) {
        if (fields == null) {
            String v = header(name);
            return v == null ? List.of() : List.of(v);
        }
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : fields) {
            if (f.getKey().equals(name)) {
                String text = f.getValue() == null ? null : text(f.getValue());
                if (text == null) {
                    throw BinaryDataException.header(name, f.getValue());
                }
                values.add(text);
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Every value of one header as bytes, in order (a text value as its UTF-8 encoding, a value-less
     * header as null).
     *
     * @param name the header's name
     * @return an unmodifiable list of copies: empty when the message has no such header
     */
    public List<byte[]> headerValuesAsBytes(String name) {
        List<byte[]> values = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : headerFields()) {
            if (f.getKey().equals(name)) {
                values.add(f.getValue());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Every header field in order, a name that occurs more than once as often as it does: what a
     * program that copies a message (a bridge) reads, since it never throws.
     *
     * @return an unmodifiable list of name and value (a copy of the bytes; null for a header without a value)
     */
    public List<Map.Entry<String, byte[]>> headerFields() {
        List<Map.Entry<String, byte[]>> copy = new ArrayList<>();
        if (fields != null) {
            fields.forEach(f -> copy.add(new AbstractMap.SimpleImmutableEntry<>(f.getKey(), f.getValue() == null ? null : f.getValue().clone())));
        } else {
            headersAsBytes().forEach((name, value) -> copy.add(new AbstractMap.SimpleImmutableEntry<>(name, value)));
        }
        return Collections.unmodifiableList(copy);
    }

    /** Refuses a one-value accessor on a message whose header names repeat: for this name, or (null) any. */
    private void checkSingle(String name) {
        if (fields == null) {
            return;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : fields) {
            if (name == null || f.getKey().equals(name)) {
                counts.merge(f.getKey(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() > 1) {
                throw new RepeatedHeaderException(c.getKey(), c.getValue());
            }
        }
    }

    /** The value of a name that occurs once among {@link #fields} (checked before), as held. */
    private byte[] single(String name) {
        for (Map.Entry<String, byte[]> f : fields) {
            if (f.getKey().equals(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    /** The headers as one map per name, when no name repeats; else the refusal of {@link #checkSingle}. */
    private Map<String, byte[]> singleValued() {
        checkSingle(null);
        Map<String, byte[]> map = new LinkedHashMap<>();
        fields.forEach(f -> map.put(f.getKey(), f.getValue()));
        return map;
    }

    /**
     * The headers as text, in the order they were added.
     *
     * @return an unmodifiable map, never null
     * @throws BinaryDataException a header value is bytes that are not UTF-8 text, or a header has no
     *                             value (read them with {@link #headersAsBytes()})
     * @throws RepeatedHeaderException a header name occurs more than once (read them with {@link #headerFields()})
     */
    public Map<String, String> headers() {
        if (fields != null) {
            Map<String, String> text = new LinkedHashMap<>();
            singleValued().forEach((name, value) -> text.put(name, header(name)));
            return Collections.unmodifiableMap(text);
        }
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
     * @throws RepeatedHeaderException the header occurs more than once (read them with {@link #headerValues(String)})
     */
    public String header(String name) {
        if (headers != null) {
            return headers.get(name);
        }
        checkSingle(name);
        Map<String, byte[]> all = fields != null ? null : byteHeaders;
        if (all != null ? !all.containsKey(name) : fields.stream().noneMatch(f -> f.getKey().equals(name))) {
            return null;
        }
        byte[] value = all != null ? all.get(name) : single(name);
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
     * @throws RepeatedHeaderException the header occurs more than once (read them with {@link #headerValuesAsBytes(String)})
     */
    public byte[] headerBytes(String name) {
        if (headers != null) {
            String v = headers.get(name);
            return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
        }
        checkSingle(name);
        byte[] v = fields != null ? single(name) : byteHeaders.get(name);
        return v == null ? null : v.clone();
    }

    /**
     * Every header with its value as bytes, in order; a header without a value maps to null.
     *
     * @return an unmodifiable copy (the arrays are copies too), never null
     * @throws RepeatedHeaderException a header name occurs more than once (read them with {@link #headerFields()})
     */
    public Map<String, byte[]> headersAsBytes() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> copy.put(name, value.getBytes(StandardCharsets.UTF_8)));
        } else {
            (fields != null ? singleValued() : byteHeaders).forEach((name, value) -> copy.put(name, value == null ? null : value.clone()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The key for per-key ordering: the text, or the bytes (compared by content); null without a key. */
    Object orderingKey() {
        return binaryKey != null ? ByteBuffer.wrap(binaryKey) : key;
    }

    /** Whether a header value is bytes that are not UTF-8 (so the broker must hold bytes). */
    boolean hasBinaryHeaderValue() {
        for (byte[] v : rawValues()) {
            if (v != null && text(v) == null) {
                return true;
            }
        }
        return false;
    }

    /** Whether a header has no value (only Kafka holds that). */
    boolean hasNullHeaderValue() {
        return rawValues().contains(null);
    }

    /** The header values as held, when not all are text (else an empty list); not copied. */
    private List<byte[]> rawValues() {
        if (fields != null) {
            List<byte[]> values = new ArrayList<>(fields.size());
            fields.forEach(f -> values.add(f.getValue()));
            return values;
        }
        return byteHeaders != null ? new ArrayList<>(byteHeaders.values()) : new ArrayList<>(); // List.of() refuses contains(null)
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
        if (fields != null) {
            return toBuilder().header(name, value).build();
        }
        // the stamp is carried as it is (id and timestamp fields, and the lazy stamp behind them): adding a header
        // does not format an id that nobody asked for
        if (byteHeaders != null) {
            Map<String, byte[]> copy = new LinkedHashMap<>(byteHeaders);
            copy.put(name, value.getBytes(StandardCharsets.UTF_8));
            return new Message(payload, key, binaryKey, null, Collections.unmodifiableMap(copy), null, id, timestamp, deliverAt,
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
        return new Message(payload, key, binaryKey, withIt, null, null, id, timestamp, deliverAt, stampMillis, idCount);
    }

    /** The first reserved header name, or null. */
    String firstReservedHeader() {
        if (fields == null && (byteHeaders != null ? byteHeaders : headers).isEmpty()) {
            return null; // the common message without headers: no iterator (it showed in mem:'s send profile)
        }
        Iterable<String> names = headerNames();
        for (String name : names) {
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
                && Objects.equals(headers, m.headers) && sameBytes(byteHeaders, m.byteHeaders) && sameFields(fields, m.fields)
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

    private static boolean sameFields(List<Map.Entry<String, byte[]>> a, List<Map.Entry<String, byte[]>> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getKey().equals(b.get(i).getKey()) || !Arrays.equals(a.get(i).getValue(), b.get(i).getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Every header name in order, a repeated one as often as it occurs; no copy of values. */
    private Iterable<String> headerNames() {
        if (fields == null) {
            return (byteHeaders != null ? byteHeaders : headers).keySet();
        }
        List<String> names = new ArrayList<>(fields.size());
        fields.forEach(f -> names.add(f.getKey()));
        return names;
    }

    @Override
    public int hashCode() {
        int h = byteHeaders == null ? fields == null ? 0 : headerNames().hashCode() : byteHeaders.keySet().hashCode();
        return Objects.hash(Arrays.hashCode(payload), key, Arrays.hashCode(binaryKey), headers, h, id(), timestamp(), deliverAt);
    }

    /** Describes the message without its payload bytes (which may be large or secret). */
    @Override
    public String toString() {
        String k = binaryKey != null ? "(" + binaryKey.length + " bytes, not UTF-8)" : key;
        return "Message{id=" + id() + ", key=" + k + ", headers=" + headerNames() + ", payload=" + payload.length
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
        /** Every header field in order (values as in {@link #headers}), once a name was added twice; then {@link #headers} is unused. */
        private List<Map.Entry<String, Object>> fields;
        private String id;
        private Instant timestamp;
        /** The timestamp in milliseconds, made into {@link #timestamp} only when read; used while {@link #timestamp} is null. */
        private long stampMillis = NO_STAMP;
        /** With {@link #stampMillis}, an id made only when read (a message named at receipt); {@code id(...)} and {@code timestamp(...)} reset it. */
        private long idCount = NO_STAMP;
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
         * Adds or replaces a header with a text value: a header of this name given before (also
         * several, see {@link #addHeader(String, String)}) is replaced by this one.
         *
         * @param name  the name, not empty
         * @param value the value, possibly empty, not null
         * @return this builder
         * @throws InvalidMessageException the name is null or empty, the value null, or either has a
         *                                 lone surrogate (no UTF-8 form)
         */
        public Builder header(String name, String value) {
            put(name, textValue(name, value));
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
            put(name, bytesValue(name, value));
            return this;
        }

        /**
         * Adds a header with a text value, keeping the values given before under the same name: the
         * name then occurs more than once, as Kafka and NATS allow (a backend that holds one value per
         * name refuses such a message: {@link Capability#REPEATED_HEADERS}). For a new name, the same
         * as {@link #header(String, String)}.
         *
         * @param name  the name, not empty
         * @param value the value, possibly empty, not null
         * @return this builder
         * @throws InvalidMessageException the name is null or empty, the value null, or either has a
         *                                 lone surrogate (no UTF-8 form)
         */
        public Builder addHeader(String name, String value) {
            add(name, textValue(name, value));
            return this;
        }

        /**
         * Adds a header with a value of bytes (null for none), keeping the values given before under
         * the same name; see {@link #addHeader(String, String)} and {@link #headerBytes(String, byte[])}.
         *
         * @param name  the name, not empty
         * @param value the value's bytes, or null for a header without a value
         * @return this builder
         * @throws InvalidMessageException the name is null, empty or has a lone surrogate
         */
        public Builder addHeaderBytes(String name, byte[] value) {
            add(name, bytesValue(name, value));
            return this;
        }

        /** A text header's value, checked with its name. */
        private static String textValue(String name, String value) {
            checkName(name);
            if (value == null) {
                throw new InvalidMessageException("header '" + name + "' has a null value");
            }
            if (loneSurrogate(value) >= 0) {
                checkedText("header '" + name + "'", value);
            }
            return value;
        }

        /** The value as held, the name checked: text when the bytes are UTF-8, else a copy of the bytes or {@link #NULL_VALUE}. */
        private Object bytesValue(String name, byte[] value) {
            checkName(name);
            String text = value == null ? null : text(value);
            if (text != null) {
                return text;
            }
            binaryHeaders = true;
            return value == null ? NULL_VALUE : value.clone();
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new InvalidMessageException("a header name may not be null or empty");
            }
            if (loneSurrogate(name) >= 0) { // the what of the message only when it fails: not a concatenation per header
                checkedText("header name '" + name + "'", name);
            }
        }

        private void put(String name, Object value) {
            if (fields != null) {
                int at = -1;
                for (int i = fields.size() - 1; i >= 0; i--) {
                    if (fields.get(i).getKey().equals(name)) {
                        fields.remove(i);
                        at = i;
                    }
                }
                fields.add(at < 0 ? fields.size() : at, Map.entry(name, value));
                return;
            }
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
        }

        private void add(String name, Object value) {
            if (fields == null && (headers == null || !headers.containsKey(name))) {
                put(name, value);
                return;
            }
            if (fields == null) {
                fields = new ArrayList<>();
                headers.forEach((n, v) -> fields.add(Map.entry(n, v)));
                headers = null;
            }
            fields.add(Map.entry(name, value));
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
            this.idCount = NO_STAMP;
            return this;
        }

        /** The timestamp; when none is given, the SDK stamps the send time. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            this.stampMillis = NO_STAMP;
            this.idCount = NO_STAMP;
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
            if (fields != null) {
                return buildFields();
            }
            if (binaryHeaders && headers.values().stream().anyMatch(v -> !(v instanceof String))) {
                Map<String, byte[]> bytes = new LinkedHashMap<>();
                headers.forEach((name, v) -> bytes.put(name, v == NULL_VALUE ? null
                        : v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : ((byte[]) v).clone()));
                return new Message(payload, key, binaryKey, null, Collections.unmodifiableMap(bytes), null, id, timestamp, deliverAt,
                        lazyMillis(), idCount);
            }
            Map<String, String> h;
            if (headers == null || headers.isEmpty()) {
                h = Map.of();
            } else if (headers.size() == 1) { // one header (a received trace context): no second LinkedHashMap
                Map.Entry<String, Object> only = headers.entrySet().iterator().next();
                h = Map.of(only.getKey(), (String) only.getValue());
            } else {
                h = Collections.unmodifiableMap((Map<String, String>) (Map<String, ?>) new LinkedHashMap<>(headers));
            }
            return new Message(payload, key, binaryKey, h, null, null, id, timestamp, deliverAt, lazyMillis(), idCount);
        }

        /** The milliseconds the message makes its timestamp of when read, when no timestamp was given. */
        private long lazyMillis() {
            return timestamp == null ? stampMillis : NO_STAMP;
        }

        /** The message of a builder in list mode: its fields, or the maps again when no name repeats any more. */
        private Message buildFields() {
            Map<String, Object> unique = new LinkedHashMap<>();
            for (Map.Entry<String, Object> f : fields) {
                if (unique.putIfAbsent(f.getKey(), f.getValue()) != null) {
                    List<Map.Entry<String, byte[]>> all = new ArrayList<>(fields.size());
                    fields.forEach(e -> all.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue() == NULL_VALUE ? null
                            : e.getValue() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : ((byte[]) e.getValue()).clone())));
                    return new Message(payload, key, binaryKey, null, null, Collections.unmodifiableList(all), id, timestamp,
                            deliverAt, lazyMillis(), idCount);
                }
            }
            Builder single = toSingle(unique);
            return single.build();
        }

        private Builder toSingle(Map<String, Object> unique) {
            Builder b = new Builder();
            b.payload = payload;
            b.key = key;
            b.binaryKey = binaryKey;
            b.headers = unique;
            b.binaryHeaders = binaryHeaders;
            b.id = id;
            b.timestamp = timestamp;
            b.stampMillis = stampMillis;
            b.idCount = idCount;
            b.deliverAt = deliverAt;
            return b;
        }
    }
}
