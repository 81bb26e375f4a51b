package io.anymq;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: 26 characters of Crockford base32, sortable by creation time within a process
 * (like a ULID: 48 bits of milliseconds, then 80 bits that are random per process and count up).
 * Cheap: no {@code SecureRandom} per id.
 */
final class Ids {
    private static final byte[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long NODE;
    private static final AtomicLong COUNTER;

    static {
        SecureRandom r = new SecureRandom();
        NODE = r.nextLong() & 0xFFFFL;           // 16 random bits per process
        COUNTER = new AtomicLong(r.nextLong() >>> 1); // 64 bits that count up from a random start
    }

    private Ids() {
    }

    static String next() {
        return format(System.currentTimeMillis(), nextCount());
    }

    /** The counting part of the next id; {@link #format} turns it and the time into the id. */
    static long nextCount() {
        return COUNTER.getAndIncrement();
    }

    static String format(long millis, long count) {
        byte[] out = new byte[26];
        // 48 bits of time -> 10 chars (50 bits, top 2 zero)
        long t = millis & 0xFFFF_FFFF_FFFFL;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        // 16 bits node + 64 bits counter = 80 bits -> 16 chars
        long hi = NODE;   // 16 bits
        long lo = count;  // 64 bits
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
