package io.anymq.memcached;

import java.nio.charset.StandardCharsets;

/**
 * The state of message n in one group: one short ASCII item, changed only with {@code add} (from
 * nothing) or {@code cas} (from the value read), so every change is race-free.
 *
 * <pre>
 * L count until token   leased to one member until {@code until} (epoch ms); {@code token} names that lease
 * N count due           waiting: free to take from {@code due} (epoch ms): nacked, released, expired, or delayed (count 0)
 * W count since         its number is taken but the message item is not there yet (a send under way) since {@code since}
 * A count               acked          R count   rejected
 * X count               lost: the message item vanished (expiry, eviction, restart) or never came
 * F count               skipped: the sender's set failed and it left an empty marker (the send reported the failure)
 * </pre>
 *
 * {@code count} is how many times the group has had the message so far.
 */
record LeaseState(char status, int count, long time, String token) {

    static LeaseState leased(int count, long until, String token) {
        return new LeaseState('L', count, until, token);
    }

    static LeaseState waiting(int count, long due) {
        return new LeaseState('N', count, due, null);
    }

    static LeaseState missing(int count, long since) {
        return new LeaseState('W', count, since, null);
    }

    static LeaseState done(char status, int count) {
        return new LeaseState(status, count, 0, null);
    }

    /** Settled for good: nothing brings it back to the group. */
    boolean settled() {
        return status == 'A' || status == 'R' || status == 'X' || status == 'F';
    }

    /** Whether a member may take it now. */
    boolean takeable(long now) {
        return switch (status) {
            case 'L', 'N' -> time <= now;
            default -> false;
        };
    }

    byte[] bytes() {
        String s = switch (status) {
            case 'L' -> "L " + count + " " + time + " " + token;
            case 'N', 'W' -> status + " " + count + " " + time;
            default -> status + " " + count;
        };
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a state item; null for bytes that are not one (a foreign value under the key). */
    static LeaseState parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        String[] p = new String(bytes, StandardCharsets.US_ASCII).split(" ");
        try {
            char status = p[0].length() == 1 ? p[0].charAt(0) : '?';
            int count = Integer.parseInt(p[1]);
            return switch (status) {
                case 'L' -> p.length == 4 ? leased(count, Long.parseLong(p[2]), p[3]) : null;
                case 'N' -> p.length == 3 ? waiting(count, Long.parseLong(p[2])) : null;
                case 'W' -> p.length == 3 ? missing(count, Long.parseLong(p[2])) : null;
                case 'A', 'R', 'X', 'F' -> p.length == 2 ? done(status, count) : null;
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.US_ASCII);
    }
}
