package io.anymq.it.memcached;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The anymq envelope (format version 1) written from the mq-api README alone, as a program in another
 * language would: magic, version, flags, id, key, headers, payload, CRC32C. Not the SDK's codec.
 */
final class EnvelopeWriter {
    private EnvelopeWriter() {
    }

    static byte[] write(String id, String key, Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xAE);
        b.write('M');
        b.write('Q');
        b.write(1);
        int flags = (id != null ? 1 : 0) | (key != null ? 4 : 0);
        b.write(flags);
        if (id != null) {
            string(b, id);
        }
        if (key != null) {
            string(b, key);
        }
        varint(b, headers.size());
        headers.forEach((n, v) -> {
            string(b, n);
            string(b, v);
        });
        varint(b, payload.length);
        b.writeBytes(payload);
        CRC32C crc = new CRC32C();
        byte[] body = b.toByteArray();
        crc.update(body);
        long c = crc.getValue();
        b.write((int) (c >>> 24));
        b.write((int) (c >>> 16));
        b.write((int) (c >>> 8));
        b.write((int) c);
        return b.toByteArray();
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        varint(b, bytes.length);
        b.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream b, int v) {
        while ((v & ~0x7F) != 0) {
            b.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write(v);
    }
}
