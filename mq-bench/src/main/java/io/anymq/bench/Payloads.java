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
}
