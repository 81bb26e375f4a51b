package io.anymq.spi;

import io.anymq.Message;

import java.time.Instant;

/**
 * The send time a message id carries. An id the SDK generates is a ULID: 26 characters of
 * Crockford base32 whose first ten are the milliseconds since the epoch at which the message was
 * stamped, the same instant as its timestamp. A driver whose broker has no timestamp field can
 * leave the timestamp out of the wire when the id carries it, and get it back from the id on receipt.
 */
public final class IdTimes {
    private static final int LENGTH = 26;
    private static final int TIME_CHARS = 10;

    private IdTimes() {
    }

    /**
     * The time in the id when it is a ULID (26 characters of upper-case Crockford base32), or null.
     * A ULID made by another library (from its creation time) reads the same way.
     */
    public static Instant timeOf(String id) {
        if (id == null || id.length() != LENGTH || id.charAt(0) > '7') {
            return null;
        }
        long millis = 0;
        for (int i = 0; i < LENGTH; i++) {
            int v = value(id.charAt(i));
            if (v < 0) {
                return null;
            }
            if (i < TIME_CHARS) {
                millis = (millis << 5) | v;
            }
        }
        return Instant.ofEpochMilli(millis);
    }

    /** Whether the message's id carries its timestamp exactly, so that the timestamp need not travel. */
    public static boolean timestampInId(Message m) {
        Instant t = m.timestamp();
        if (t == null || t.getNano() % 1_000_000 != 0) {
            return false;
        }
        Instant inId = timeOf(m.id());
        return t.equals(inId);
    }

    /** The value of one Crockford base32 digit as the SDK writes it (0-9, A-Z without I, L, O, U), or -1. */
    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c < 'A' || c > 'Z' || c == 'I' || c == 'L' || c == 'O' || c == 'U') {
            return -1;
        }
        int v = c - 'A' + 10;
        if (c > 'I') {
            v--;
        }
        if (c > 'L') {
            v--;
        }
        if (c > 'O') {
            v--;
        }
        if (c > 'U') {
            v--;
        }
        return v;
    }
}
