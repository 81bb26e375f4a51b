package io.anymq.redis;

import io.anymq.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as a stream entry's fields: {@code p} payload, {@code i} id (when the sender gave one),
 * {@code t} timestamp (epoch ms), {@code k} key (when there is one), and each header {@code NAME} as
 * the field {@code h:NAME}; keys and header values are bytes, kept exactly (text as UTF-8, other
 * bytes as they are: {@code BINARY_DATA}). Other fields (written by other programs) become headers of the same
 * name; a field that occurs more than once (another program's {@code XADD s * a 1 a 2}, or a message with a
 * repeated header name: {@code REPEATED_HEADERS}) is a header that occurs as often, in order. An entry without {@code i} (a message sent without an id, or an entry written by another
 * program) is named by its position, {@code <topic>-<entry id>}, which the receipt reports too; an
 * entry without {@code t} (a message sent without a timestamp) is timed by its entry id's
 * milliseconds, the server's clock when it appended the entry.
 */
final class StreamEntries {
    static final byte[] PAYLOAD = bytes("p");
    static final byte[] ID = bytes("i");
    static final byte[] TIMESTAMP = bytes("t");
    static final byte[] KEY = bytes("k");
    static final String HEADER_PREFIX = "h:";

    private StreamEntries() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<byte[], byte[]> toFields(Message m) {
        // a repeated name: every field in order; otherwise one value per name (bytes that are not text kept as they are)
        java.util.List<Map.Entry<String, byte[]>> repeated = m.hasRepeatedHeaders() ? m.headerFields() : null;
        Map<String, byte[]> binary = repeated != null || m.isText() ? null : m.headersAsBytes();
        Map<byte[], byte[]> f = new LinkedHashMap<>(8 + (repeated != null ? repeated.size() : binary != null ? binary.size() : m.headers().size()) * 2);
        f.put(PAYLOAD, io.anymq.spi.Payloads.shared(m));
        if (m.id() != null) {
            f.put(ID, bytes(m.id()));
        }
        if (m.timestamp() != null) {
            f.put(TIMESTAMP, bytes(Long.toString(m.timestamp().toEpochMilli())));
        }
        if (m.hasKey()) {
            f.put(KEY, m.hasBinaryKey() ? m.keyBytes() : bytes(m.key()));
        }
        if (repeated != null) {
            // a stream entry keeps every field-value pair; the map's keys are arrays, compared by identity,
            // so each repeated field is its own key
            for (Map.Entry<String, byte[]> h : repeated) {
                f.put(bytes(HEADER_PREFIX + h.getKey()), h.getValue()); // never null: no NULL_HEADER_VALUES
            }
        } else if (binary != null) {
            binary.forEach((name, value) -> f.put(bytes(HEADER_PREFIX + name), value)); // never null: no NULL_HEADER_VALUES
        } else {
            for (Map.Entry<String, String> h : m.headers().entrySet()) {
                f.put(bytes(HEADER_PREFIX + h.getKey()), bytes(h.getValue()));
            }
        }
        return f;
    }

    /** The id of an entry that carries none: its position. */
    static String positionId(String topic, String entryId) {
        return io.anymq.spi.PositionIds.of(topic, entryId);
    }

    /** The time in an entry id ({@code <ms>-<seq>}): when the server appended the entry. */
    static Instant entryTime(String entryId) {
        int dash = entryId.indexOf('-');
        try {
            return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Message fromFields(String topic, String entryId, Map<byte[], byte[]> fields) {
        Message.Builder b = Message.builder();
        String id = null;
        boolean timed = false;
        for (Map.Entry<byte[], byte[]> e : fields.entrySet()) {
            String name = new String(e.getKey(), StandardCharsets.UTF_8);
            byte[] value = e.getValue() == null ? new byte[0] : e.getValue();
            switch (name) {
                case "p" -> io.anymq.spi.Payloads.adopt(b, value); // the codec's own array
                case "i" -> id = new String(value, StandardCharsets.UTF_8);
                case "k" -> b.keyBytes(value.length == 0 ? null : value);
                case "t" -> {
                    try {
                        b.timestamp(Instant.ofEpochMilli(Long.parseLong(new String(value, StandardCharsets.UTF_8))));
                        timed = true;
                    } catch (NumberFormatException notOurs) {
                        b.addHeaderBytes("t", value);
                    }
                }
                // add, not put: a field that occurs more than once in an entry (XADD allows it) is a repeated header
                default -> b.addHeaderBytes(name.startsWith(HEADER_PREFIX) ? name.substring(HEADER_PREFIX.length()) : name, value);
            }
        }
        b.id(id == null || id.isEmpty() ? positionId(topic, entryId) : id);
        if (!timed) {
            b.timestamp(entryTime(entryId));
        }
        return b.build();
    }
}
