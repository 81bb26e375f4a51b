package io.anymq.redis;

import io.anymq.Message;
import io.anymq.spi.EnvelopeCodec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Values of the list and zset modes. anymq writes each message as one {@link EnvelopeCodec} envelope.
 * A value without the envelope's magic (written by another program: plain text, JSON, ...) is
 * delivered as the payload of a message without key or headers whose id is the SHA-1 of the value
 * (so that it keeps its id when it is delivered again). A value with the magic that does not decode
 * is an {@link io.anymq.EnvelopeFormatException}.
 */
final class QueueValues {
    private QueueValues() {
    }

    static byte[] encode(Message message) {
        return EnvelopeCodec.encode(message);
    }

    static Message decode(byte[] value) {
        if (!EnvelopeCodec.looksLikeEnvelope(value)) {
            return Message.builder().payload(value).id(sha1(value)).build();
        }
        Message m = EnvelopeCodec.decode(value);
        return m.id() == null ? m.toBuilder().id(sha1(value)).build() : m;
    }

    /** Lower-case hex SHA-1, as Redis' {@code redis.sha1hex}. */
    static String sha1(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
