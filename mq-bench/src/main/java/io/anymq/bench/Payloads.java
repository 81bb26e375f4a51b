package io.anymq.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's payload: 8 bytes of sequence number, 8 bytes of intended send time
 * ({@code System.nanoTime()}, the same clock on both sides since producers and consumers share the
 * process), then filler. The intended time is the scheduled one at a fixed rate, which corrects for
 * coordinated omission.
 */
final class Payloads {
    static final int HEADER_BYTES = 16;

    private Payloads() {
    }

    static byte[] filler(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** A payload: a copy of the filler with the header written in. */
    static byte[] make(byte[] filler, long sequence, long intendedNanos) {
        byte[] b = filler.clone();
        ByteBuffer.wrap(b).putLong(0, sequence).putLong(8, intendedNanos);
        return b;
    }

    static long sequence(ByteBuffer payload) {
        return payload.getLong(payload.position());
    }

    static long intendedNanos(ByteBuffer payload) {
        return payload.getLong(payload.position() + 8);
    }

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** A 26-character id as long as anymq's generated ones (the time, then a count), for baselines that carry one. */
    static String id26() {
        char[] out = new char[26];
        long t = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--, t >>>= 5) {
            out[i] = BASE32[(int) (t & 31)];
        }
        long n = IDS.getAndIncrement();
        for (int i = 25; i >= 10; i--, n >>>= 5) {
            out[i] = BASE32[(int) (n & 31)];
        }
        return new String(out);
    }
}
