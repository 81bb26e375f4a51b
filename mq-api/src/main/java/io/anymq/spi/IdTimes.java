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
        long millis = id == null ? -1 : millisOfUlidAt(id, 0);
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
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

    /**
     * The prefix followed by the message's id, when that id is one the SDK generated with the message's
     * timestamp (so {@link #timestampInId} holds), or null. Made as one string: no id string is formatted on
     * the way, and the message's {@link Message#id()} stays unformatted until someone reads it.
     *
     * @param asciiPrefix text of ASCII characters only
     * @param m           the message
     * @return the prefixed id, or null when the message's id was given to it (or it has none yet)
     */
    public static String prefixedGeneratedId(String asciiPrefix, Message m) {
        return Payloads.access().generatedId(m, asciiPrefix);
    }

    /**
     * Sets the builder's timestamp to this millisecond without making an {@code Instant} of it: the message makes
     * it when {@link Message#timestamp()} is first read (a receiving driver that learnt the time from a ULID id,
     * for a handler that may never ask). A later {@link Message.Builder#timestamp} replaces it.
     *
     * @param builder the builder
     * @param millis  milliseconds since the epoch
     * @return the builder
     */
    public static Message.Builder timestampMillis(Message.Builder builder, long millis) {
        Payloads.access().timestampMillis(builder, millis);
        return builder;
    }

    /**
     * Whether the message's id and timestamp are the stamp the SDK made at send, the message having been given
     * neither (what {@code Message.of(payload)} sends), or the stamp a receiving client made
     * ({@link #namedAtReceipt}). A message given a timestamp but no id gets its id at send too, but does not count.
     *
     * @param m a message
     * @return whether its id and timestamp were generated together
     */
    public static boolean generatedStamp(Message m) {
        return Payloads.access().generatedStamp(m);
    }

    /**
     * Names and times a received message that came with neither id nor timestamp (core NATS: a message from a
     * sender that keeps its generated ids, or from a native publisher): its id is a ULID the receiving client
     * generates and its timestamp the time of receipt, both made only when read. Call it last, after the
     * builder was given everything else: a later {@code id(...)} or {@code timestamp(...)} replaces the stamp.
     *
     * @param builder the builder
     * @param millis  the time of receipt, milliseconds since the epoch
     * @return the builder
     */
    public static Message.Builder namedAtReceipt(Message.Builder builder, long millis) {
        Payloads.access().namedAtReceipt(builder, millis);
        return builder;
    }

    /**
     * The milliseconds of the ULID that fills {@code text} from {@code from} to its end (26 characters of
     * upper-case Crockford base32), or -1 when that part is no ULID. Reads the text in place: the id need not
     * be cut out of it first to learn whether it is one.
     *
     * @param text a text, such as a subject that ends with an id
     * @param from where the id would start
     * @return the milliseconds, or -1
     */
    public static long millisOfUlidAt(String text, int from) {
        if (text.length() - from != LENGTH || text.charAt(from) > '7') {
            return -1;
        }
        long millis = 0;
        for (int i = 0; i < LENGTH; i++) {
            int v = value(text.charAt(from + i));
            if (v < 0) {
                return -1;
            }
            if (i < TIME_CHARS) {
                millis = (millis << 5) | v;
            }
        }
        return millis;
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
