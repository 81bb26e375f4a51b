package io.anymq.nats;

import io.anymq.Message;
import io.anymq.spi.IdTimes;
import io.anymq.spi.ReservedHeaders;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A message on NATS: the payload is the NATS payload; headers are NATS headers; the id is the
 * {@code Nats-Msg-Id} header (JetStream de-duplicates on it); the key and the timestamp travel in
 * the headers {@code anymq-key} and {@code anymq-timestamp} (epoch milliseconds), since NATS has no
 * fields for them. The timestamp header is left out when the id is a ULID that carries the same
 * millisecond (every id the SDK generates does: one header less per message); on receipt a message
 * without the timestamp header takes the time of its ULID id, if it has one. On core NATS a message
 * whose ULID id is all it carries (no headers, no key: what {@code Message.of(payload)} sends) has no
 * headers at all: its id travels as the reply subject {@code _mq.<id>} ({@link #idReplySubject}).
 *
 * <p>NATS headers are printable ASCII. A header name or value with any other character, with
 * leading or trailing spaces, or empty, and a header name with a ':', is written as {@code =?utf-8?b?<base64 of its UTF-8>?=}
 * (the RFC 2047 form) and decoded on receipt; everything else is written as it is. A multi-valued
 * NATS header (a name that occurs more than once) keeps every value in order, both ways
 * ({@code Message.headerValues(name)}, {@code addHeader}).
 */
final class NatsMessages {
    static final String MSG_ID = "Nats-Msg-Id";
    static final String KEY = ReservedHeaders.PREFIX + "key";
    static final String ID_REPLY_PREFIX = "_mq.";

    private NatsMessages() {
    }

    static NatsMessage toNats(String subject, Message m) {
        return new NatsMessage(subject, null, headers(m), io.anymq.spi.Payloads.shared(m));
    }

    /** The NATS headers that carry the message's headers, id, key and (where its id does not) timestamp. */
    static Headers headers(Message m) {
        return headers(m, true);
    }

    /**
     * The NATS headers of the message; with {@code sendGeneratedIds} false they leave out the id and
     * timestamp the SDK generated (core NATS' {@code send-generated-ids=false}).
     */
    static Headers headers(Message m, boolean sendGeneratedIds) {
        Headers h = new Headers();
        if (m.isText()) {
            for (Map.Entry<String, String> e : m.headers().entrySet()) {
                h.add(encodeName(e.getKey()), encode(e.getValue()));
            }
        } else {
            // a name that repeats (REPEATED_HEADERS) is a multi-valued NATS header; values are text (the core refuses bytes)
            for (Map.Entry<String, byte[]> e : m.headerFields()) {
                h.add(encodeName(e.getKey()), encode(new String(e.getValue(), StandardCharsets.UTF_8)));
            }
        }
        boolean stamp = sendGeneratedIds || !IdTimes.generatedStamp(m);
        if (stamp && m.id() != null) {
            h.put(MSG_ID, encode(m.id()));
        }
        if (m.key() != null) {
            h.put(KEY, encode(m.key()));
        }
        if (stamp && m.timestamp() != null && !IdTimes.timestampInId(m)) {
            h.put(ReservedHeaders.TIMESTAMP, Long.toString(m.timestamp().toEpochMilli()));
        }
        return h;
    }

    /**
     * The reply subject that carries the message's id when the id is all it needs on the wire, or null
     * when it needs headers anyway. A message with neither headers nor key, whose id is a ULID that
     * carries its timestamp (every id the SDK generates), travels on core NATS without headers: its id
     * is the reply subject {@code _mq.<ULID>} (core NATS has no other per-message field). jnats'
     * header path (a header map built, copied read-only, validated, serialized, then parsed into a map
     * on receipt) doubled its CPU per 100-byte message (~700 → ~1,560 ns in a jnats-only program);
     * a reply subject adds ~250 ns, and each of its characters ~0.65 % of jnats' throughput (jnats alone,
     * 100-byte messages: 1.62 M msg/s without one, 1.48 M with 16 characters, 1.34 M with 27), hence the
     * short prefix (30 characters, {@code _anymq.id.<ULID>} had 36). anymq offers no request-reply, so the
     * field is otherwise unused; a native subscriber sees the id there (docs: mq-nats README).
     */
    static String idReplySubject(Message m) {
        if (m.key() != null || !m.isText() || !m.headers().isEmpty()) {
            return null;
        }
        String generated = IdTimes.prefixedGeneratedId(ID_REPLY_PREFIX, m); // the usual case: no id string on the way
        if (generated != null) {
            return generated;
        }
        return IdTimes.timestampInId(m) ? ID_REPLY_PREFIX + m.id() : null;
    }

    /**
     * Whether the message is its payload and the stamp the SDK generated, nothing else: with
     * {@code send-generated-ids=false} it travels as a plain jnats publish would send it.
     */
    static boolean carriesOnlyGeneratedStamp(Message m) {
        return m.key() == null && m.isText() && m.headers().isEmpty() && IdTimes.generatedStamp(m);
    }

    /** The milliseconds of the ULID a reply subject carries (see {@link #idReplySubject}), or -1 when it carries none. */
    private static long idMillisOfReplySubject(String replyTo) {
        if (replyTo == null || !replyTo.startsWith(ID_REPLY_PREFIX)) {
            return -1;
        }
        return IdTimes.millisOfUlidAt(replyTo, ID_REPLY_PREFIX.length()); // -1: a reply subject that is not ours after all
    }

    /** The id of a JetStream message that carries none: its stream sequence. */
    static String positionId(String topic, long streamSequence) {
        return io.anymq.spi.PositionIds.of(topic, Long.toString(streamSequence));
    }

    static Message fromNats(io.nats.client.Message n) {
        return fromNats(n, null);
    }

    /**
     * The message; {@code positionId} names it when it carries no id (JetStream). With a null {@code positionId}
     * (core NATS) a message that came without id is named and timed on arrival ({@link IdTimes#namedAtReceipt}):
     * one from a sender with {@code send-generated-ids=false}, or from a plain NATS publisher.
     */
    static Message fromNats(io.nats.client.Message n, String positionId) {
        // jnats gives every message its own array: taken without a copy
        Message.Builder b = io.anymq.spi.Payloads.adopt(Message.builder(), n.getData() == null ? new byte[0] : n.getData());
        Headers h = n.getHeaders();
        boolean stamped = false;
        String id = null;
        if (h != null && !h.isEmpty()) {
            // the SDK's own headers by name (they travel unencoded); the rest only when there is a rest:
            // walking a header map costs more than looking up three names
            int ours = 0;
            String rawId = h.getFirst(MSG_ID);
            if (rawId != null) {
                ours++;
                String value = decode(rawId);
                id = value.isEmpty() ? null : value;
                b.id(id);
            }
            String rawKey = h.getFirst(KEY);
            if (rawKey != null) {
                ours++;
                String value = decode(rawKey);
                b.key(value.isEmpty() ? null : value);
            }
            String rawTime = h.getFirst(ReservedHeaders.TIMESTAMP);
            if (rawTime != null) {
                ours++;
                try {
                    b.timestamp(Instant.ofEpochMilli(Long.parseLong(rawTime)));
                    stamped = true;
                } catch (NumberFormatException ignored) {
                    b.header(ReservedHeaders.TIMESTAMP, decode(rawTime)); // not ours after all: keep it as it came
                }
            }
            if (h.size() > ours) {
                for (String rawName : h.keySet()) {
                    if (rawName.equals(MSG_ID) || rawName.equals(KEY) || rawName.equals(ReservedHeaders.TIMESTAMP)) {
                        continue;
                    }
                    List<String> values = h.get(rawName);
                    if (values == null || values.isEmpty()) {
                        b.header(decode(rawName), "");
                    } else {
                        String name = decode(rawName);
                        for (String value : values) {
                            b.addHeader(name, decode(value)); // a multi-valued header keeps every value, in order
                        }
                    }
                }
            }
        }
        if (h == null || h.isEmpty()) {
            String replyTo = n.getReplyTo();
            long millis = idMillisOfReplySubject(replyTo);
            if (millis >= 0) { // core NATS: an id that was all the message needed came as the reply subject
                return IdTimes.timestampMillis(b.id(replyTo.substring(ID_REPLY_PREFIX.length())), millis).build();
            }
            if (positionId == null) { // core NATS: nothing but the payload came
                return IdTimes.namedAtReceipt(b, System.currentTimeMillis()).build();
            }
        }
        if (!stamped) {
            b.timestamp(IdTimes.timeOf(id)); // a ULID id carries the send time; null for any other id
        }
        if (id == null) {
            if (positionId != null) {
                b.id(positionId);
            } else if (!stamped) { // core NATS: headers came, no id and no time
                IdTimes.namedAtReceipt(b, System.currentTimeMillis());
            } else {
                b.id(IdTimes.namedAtReceipt(Message.builder(), System.currentTimeMillis()).build().id()); // a time came, no id: a fresh ULID
            }
        }
        return b.build();
    }

    private static final String ENCODED_PREFIX = "=?utf-8?b?";
    private static final String ENCODED_SUFFIX = "?=";

    /** The text as it can travel in a NATS header. */
    static String encode(String text) {
        boolean plain = !text.isEmpty() && text.charAt(0) != ' ' && text.charAt(text.length() - 1) != ' '
                && !text.startsWith(ENCODED_PREFIX);
        for (int i = 0; plain && i < text.length(); i++) {
            char c = text.charAt(i);
            plain = c >= 0x20 && c < 0x7f;
        }
        return plain ? text : encoded(text);
    }

    /** The RFC 2047 form of the text's UTF-8. */
    private static String encoded(String text) {
        return ENCODED_PREFIX + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + ENCODED_SUFFIX;
    }

    /**
     * A header name as it can travel: as {@link #encode}, and also encoded when it holds a ':' (a NATS header line is
     * {@code name: value}; jnats refuses such a name at publish).
     */
    static String encodeName(String name) {
        return name.indexOf(':') >= 0 ? encoded(name) : encode(name);
    }

    /** The text a NATS header carried. */
    static String decode(String raw) {
        if (raw.startsWith(ENCODED_PREFIX) && raw.endsWith(ENCODED_SUFFIX) && raw.length() >= ENCODED_PREFIX.length() + ENCODED_SUFFIX.length()) {
            try {
                return new String(Base64.getDecoder().decode(raw.substring(ENCODED_PREFIX.length(), raw.length() - ENCODED_SUFFIX.length())),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notOurs) {
                return raw;
            }
        }
        return raw;
    }
}
