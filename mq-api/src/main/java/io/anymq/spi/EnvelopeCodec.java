package io.anymq.spi;

import io.anymq.EnvelopeFormatException;
import io.anymq.InvalidMessageException;
import io.anymq.Message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The one binary envelope that carries a whole {@link Message} (id, timestamp, key, headers,
 * delivery time, payload) as a single value, for brokers without native headers or ids (Redis List
 * and Sorted Set, Memcached). The format is versioned and documented in {@code mq-api/README.md};
 * every field is big-endian.
 *
 * <pre>
 * magic      3 bytes   0xAE 'M' 'Q'   (0xAE never starts UTF-8 text, so plain text is never taken for an envelope)
 * version    1 byte    1
 * flags      1 byte    bit 0 id, bit 1 timestamp, bit 2 key, bit 3 deliverAt; other bits 0
 * id         string    if flag bit 0
 * timestamp  instant   if flag bit 1
 * key        string    if flag bit 2
 * deliverAt  instant   if flag bit 3
 * headers    varint count, then count x (string name, string value), in the message's order
 * payload    varint length, then the bytes
 * checksum   4 bytes   CRC32C of every byte before it
 *
 * string  = varint byte length, then UTF-8
 * instant = 8 bytes epoch seconds (signed), 4 bytes nanoseconds 0..999,999,999
 * varint  = unsigned LEB128, at most 5 bytes, value at most 2^31-1
 * </pre>
 *
 * Decoding checks everything: a truncated, corrupted (checksum, bad UTF-8, trailing bytes),
 * foreign (no magic) or newer-version envelope is an {@link EnvelopeFormatException} that says
 * which. This class is stateless and thread-safe.
 */
public final class EnvelopeCodec {
    /** The version this SDK writes, and the newest it reads. */
    public static final int VERSION = 1;

    static final byte MAGIC_0 = (byte) 0xAE;
    static final byte MAGIC_1 = 'M';
    static final byte MAGIC_2 = 'Q';
    private static final int HEADER_BYTES = 5;
    private static final int CHECKSUM_BYTES = 4;
    private static final int INSTANT_BYTES = 12;

    private static final int FLAG_ID = 1;
    private static final int FLAG_TIMESTAMP = 1 << 1;
    private static final int FLAG_KEY = 1 << 2;
    private static final int FLAG_DELIVER_AT = 1 << 3;
    private static final int KNOWN_FLAGS = FLAG_ID | FLAG_TIMESTAMP | FLAG_KEY | FLAG_DELIVER_AT;

    private EnvelopeCodec() {
    }

    /** Whether the bytes start like an anymq envelope (magic); says nothing about their validity. */
    public static boolean looksLikeEnvelope(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1 && bytes[2] == MAGIC_2;
    }

    /** The message as one envelope. */
    public static byte[] encode(Message message) {
        String id = message.id();
        Instant timestamp = message.timestamp();
        String key = message.key();
        Instant deliverAt = message.deliverAt();
        byte[] idBytes = id == null ? null : utf8(id);
        byte[] keyBytes = key == null ? null : utf8(key);
        Map<String, String> headers = message.headers();
        byte[][] headerBytes = new byte[headers.size() * 2][];
        int size = HEADER_BYTES + CHECKSUM_BYTES;
        int flags = 0;
        if (idBytes != null) {
            flags |= FLAG_ID;
            size += stringSize(idBytes);
        }
        if (timestamp != null) {
            flags |= FLAG_TIMESTAMP;
            size += INSTANT_BYTES;
        }
        if (keyBytes != null) {
            flags |= FLAG_KEY;
            size += stringSize(keyBytes);
        }
        if (deliverAt != null) {
            flags |= FLAG_DELIVER_AT;
            size += INSTANT_BYTES;
        }
        size += varintSize(headers.size());
        int i = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            headerBytes[i] = utf8(header.getKey());
            headerBytes[i + 1] = utf8(header.getValue());
            size += stringSize(headerBytes[i]) + stringSize(headerBytes[i + 1]);
            i += 2;
        }
        int payloadSize = message.payloadSize();
        long total = (long) size + varintSize(payloadSize) + payloadSize;
        if (total > Integer.MAX_VALUE - 8) {
            throw new InvalidMessageException("the message is too large for one envelope (" + total + " bytes)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(MAGIC_0).put(MAGIC_1).put(MAGIC_2).put((byte) VERSION).put((byte) flags);
        if (idBytes != null) {
            putString(out, idBytes);
        }
        if (timestamp != null) {
            putInstant(out, timestamp);
        }
        if (keyBytes != null) {
            putString(out, keyBytes);
        }
        if (deliverAt != null) {
            putInstant(out, deliverAt);
        }
        putVarint(out, headers.size());
        for (byte[] bytes : headerBytes) {
            putString(out, bytes);
        }
        putVarint(out, payloadSize);
        out.put(message.payloadBuffer());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** The message in the envelope, with its id, timestamp, key, headers and delivery time as sent. */
    public static Message decode(byte[] bytes) {
        if (bytes == null) {
            throw new EnvelopeFormatException("no envelope: the value is null");
        }
        if (bytes.length >= 1 && bytes[0] != MAGIC_0
                || bytes.length >= 2 && bytes[1] != MAGIC_1
                || bytes.length >= 3 && bytes[2] != MAGIC_2) {
            throw new EnvelopeFormatException("not an anymq envelope: it starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, 8))
                    + " instead of the magic AE 4D 51 (written by something else?)");
        }
        if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) {
            throw truncated(bytes.length, HEADER_BYTES + CHECKSUM_BYTES);
        }
        int version = bytes[3] & 0xFF;
        if (version > VERSION) {
            throw new EnvelopeFormatException("envelope version " + version + " is newer than this SDK reads (up to "
                    + VERSION + "); upgrade anymq on this side");
        }
        if (version == 0) {
            throw new EnvelopeFormatException("corrupted envelope: version 0 does not exist");
        }
        int flags = bytes[4] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new EnvelopeFormatException("corrupted envelope: unknown flags 0x" + Integer.toHexString(flags));
        }
        Reader in = new Reader(bytes);
        in.position = HEADER_BYTES;
        Message.Builder builder = Message.builder();
        try {
            if ((flags & FLAG_ID) != 0) {
                builder.id(in.string("id"));
            }
            if ((flags & FLAG_TIMESTAMP) != 0) {
                builder.timestamp(in.instant("timestamp"));
            }
            if ((flags & FLAG_KEY) != 0) {
                builder.key(in.string("key"));
            }
            if ((flags & FLAG_DELIVER_AT) != 0) {
                builder.deliverAt(in.instant("deliverAt"));
            }
            int headerCount = in.varint("header count");
            for (int h = 0; h < headerCount; h++) {
                String name = in.string("header name");
                builder.header(name, in.string("header value"));
            }
            int payloadLength = in.varint("payload length");
            in.require(payloadLength, "payload");
            builder.payload(ByteBuffer.wrap(bytes, in.position, payloadLength)); // copies once
            in.position += payloadLength;
        } catch (InvalidMessageException e) {
            throw new EnvelopeFormatException("corrupted envelope: " + e.getMessage());
        }
        in.require(CHECKSUM_BYTES, "checksum");
        int end = in.position;
        if (bytes.length - end != CHECKSUM_BYTES) {
            throw new EnvelopeFormatException("corrupted envelope: " + (bytes.length - end - CHECKSUM_BYTES)
                    + " unexpected bytes after the payload");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        int expected = ByteBuffer.wrap(bytes, end, CHECKSUM_BYTES).getInt();
        if ((int) crc.getValue() != expected) {
            throw new EnvelopeFormatException("corrupted envelope: checksum mismatch (CRC32C " + Integer.toHexString((int) crc.getValue())
                    + ", stored " + Integer.toHexString(expected) + ")");
        }
        return builder.build();
    }

    private static EnvelopeFormatException truncated(int length, int needed) {
        return new EnvelopeFormatException("truncated envelope: " + length + " bytes, at least " + needed + " needed");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int stringSize(byte[] bytes) {
        return varintSize(bytes.length) + bytes.length;
    }

    static int varintSize(int value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static void putString(ByteBuffer out, byte[] bytes) {
        putVarint(out, bytes.length);
        out.put(bytes);
    }

    private static void putInstant(ByteBuffer out, Instant instant) {
        out.putLong(instant.getEpochSecond()).putInt(instant.getNano());
    }

    /** A cursor over the envelope's bytes that turns every overrun into a clear error. */
    private static final class Reader {
        final byte[] bytes;
        int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        void require(int n, String field) {
            if (n < 0 || bytes.length - position < n) {
                throw new EnvelopeFormatException("truncated envelope: the " + field + " needs " + n + " bytes at offset "
                        + position + ", only " + Math.max(0, bytes.length - position) + " left");
            }
        }

        int varint(String field) {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                require(1, field);
                int b = bytes[position++] & 0xFF;
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0 || shift == 28 && b > 0x07) {
                        throw new EnvelopeFormatException("corrupted envelope: the " + field + " is out of range");
                    }
                    return value;
                }
            }
            throw new EnvelopeFormatException("corrupted envelope: the " + field + " is longer than 5 bytes");
        }

        String string(String field) {
            int length = varint(field);
            require(length, field);
            String s = new String(bytes, position, length, StandardCharsets.UTF_8);
            if (s.indexOf('\uFFFD') >= 0) {
                // the fast decoder replaces bad input with U+FFFD; only then check strictly
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, position, length));
                } catch (CharacterCodingException e) {
                    throw new EnvelopeFormatException("corrupted envelope: the " + field + " is not valid UTF-8");
                }
            }
            position += length;
            return s;
        }

        Instant instant(String field) {
            require(INSTANT_BYTES, field);
            ByteBuffer b = ByteBuffer.wrap(bytes, position, INSTANT_BYTES);
            long seconds = b.getLong();
            int nanos = b.getInt();
            position += INSTANT_BYTES;
            if (nanos < 0 || nanos > 999_999_999) {
                throw new EnvelopeFormatException("corrupted envelope: the " + field + " has " + nanos + " nanoseconds");
            }
            try {
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (java.time.DateTimeException e) {
                throw new EnvelopeFormatException("corrupted envelope: the " + field + " is out of range");
            }
        }
    }
}
