package io.anymq.spi;

import java.nio.charset.StandardCharsets;

/**
 * The two written forms of a ULID's 128 bits (48 bits of milliseconds, then 80 more), held as two longs
 * ({@code hi}: the milliseconds and the next 16 bits; {@code lo}: the last 64): the canonical 26
 * characters of Crockford base32 that every id the SDK generates is, and a <em>compact</em> form of 22
 * characters for a wire where every byte of an id costs (a NATS reply subject: each character of it cost
 * jnats ~0.65 % of its throughput with 100-byte messages). The compact form is the ULID's 16-byte
 * binary form (the ULID specification's, big-endian) in base64url without padding (RFC 4648 §5), so a
 * program without anymq reads it with {@code Base64.getUrlDecoder()}.
 */
public final class Ulids {
    /** Characters of the canonical form. */
    public static final int LENGTH = 26;
    /** Characters of the compact form. */
    public static final int COMPACT_LENGTH = 22;

    private static final byte[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] URL64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CROCKFORD_VALUES = values(CROCKFORD);
    private static final byte[] URL64_VALUES = values(URL64);

    private Ulids() {
    }

    private static byte[] values(byte[] alphabet) {
        byte[] v = new byte[128];
        java.util.Arrays.fill(v, (byte) -1);
        for (int i = 0; i < alphabet.length; i++) {
            v[alphabet[i]] = (byte) i;
        }
        return v;
    }

    /**
     * Writes the canonical form ({@value #LENGTH} characters) at {@code at}.
     *
     * @param out where to write
     * @param at  the first index written
     * @param hi  the first 64 bits
     * @param lo  the last 64 bits
     */
    public static void writeCanonical(byte[] out, int at, long hi, long lo) {
        for (int i = at + LENGTH - 1; i >= at; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
    }

    /**
     * Writes the compact form ({@value #COMPACT_LENGTH} characters) at {@code at}.
     *
     * @param out where to write
     * @param at  the first index written
     * @param hi  the first 64 bits
     * @param lo  the last 64 bits
     */
    public static void writeCompact(byte[] out, int at, long hi, long lo) {
        int last = at + COMPACT_LENGTH - 1;
        out[last] = URL64[(int) (lo & 3) << 4]; // base64 of 16 bytes: the last character holds 2 bits, then 4 zero bits
        lo = (lo >>> 2) | (hi << 62);
        hi >>>= 2;
        for (int i = last - 1; i >= at; i--) {
            out[i] = URL64[(int) (lo & 63)];
            lo = (lo >>> 6) | (hi << 58);
            hi >>>= 6;
        }
    }

    /**
     * The ASCII prefix followed by the compact form of the ULID {@code ulid} (canonical, upper-case), made as
     * one string; null when {@code ulid} is no ULID.
     *
     * @param asciiPrefix text of ASCII characters only
     * @param ulid        an id
     * @return the prefixed compact form, or null
     */
    public static String compactOf(String asciiPrefix, String ulid) {
        if (ulid == null || ulid.length() != LENGTH || ulid.charAt(0) > '7') {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < LENGTH; i++) {
            int v = value(CROCKFORD_VALUES, ulid.charAt(i));
            if (v < 0) {
                return null;
            }
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return prefixed(asciiPrefix, hi, lo, true);
    }

    /**
     * The ASCII prefix followed by one form of the 128 bits, made as one string.
     *
     * @param asciiPrefix text of ASCII characters only
     * @param hi          the first 64 bits
     * @param lo          the last 64 bits
     * @param compact     the compact form, else the canonical one
     * @return the prefixed form
     */
    public static String prefixed(String asciiPrefix, long hi, long lo, boolean compact) {
        int n = asciiPrefix.length();
        byte[] out = new byte[n + (compact ? COMPACT_LENGTH : LENGTH)];
        asciiPrefix.getBytes(0, n, out, 0); // ASCII: the deprecated method is exactly the right one
        if (compact) {
            writeCompact(out, n, hi, lo);
        } else {
            writeCanonical(out, n, hi, lo);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * The canonical ULID whose compact form fills {@code text} from {@code from} to its end, or null when
     * that part is no compact ULID (another length, a character outside base64url, or bits set after the
     * 128th). Reads the text in place.
     *
     * @param text a text, such as a subject that ends with a compact id
     * @param from where the compact id would start
     * @return the canonical ULID, or null
     */
    public static String canonicalOfCompactAt(String text, int from) {
        if (text.length() - from != COMPACT_LENGTH) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = from; i < from + COMPACT_LENGTH - 1; i++) {
            int v = value(URL64_VALUES, text.charAt(i));
            if (v < 0) {
                return null;
            }
            hi = (hi << 6) | (lo >>> 58);
            lo = (lo << 6) | v;
        }
        int last = value(URL64_VALUES, text.charAt(from + COMPACT_LENGTH - 1));
        if (last < 0 || (last & 15) != 0) {
            return null;
        }
        hi = (hi << 2) | (lo >>> 62);
        lo = (lo << 2) | (last >>> 4);
        return prefixed("", hi, lo, false);
    }

    /** The digit's value in the alphabet whose values are given, or -1. */
    private static int value(byte[] values, char c) {
        return c < 128 ? values[c] : -1;
    }

    /**
     * The value of one Crockford base32 digit as the SDK writes it (0-9, A-Z without I, L, O, U), or -1.
     *
     * @param c a character
     * @return its value, or -1
     */
    static int crockfordValue(char c) {
        return value(CROCKFORD_VALUES, c);
    }
}
