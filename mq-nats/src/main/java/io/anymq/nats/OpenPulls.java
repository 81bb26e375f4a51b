package io.anymq.nats;

import java.util.ArrayDeque;

/**
 * The pull requests one member has open, in the order the server serves them (first come, first
 * served): how many messages and bytes each may still bring, and when it expires. A request is done
 * when it brought its messages, when what is left of its bytes cannot hold another message as large
 * as the largest seen (the server ends it there), or when it expired. Only the polling thread uses it.
 *
 * <p>An expired request is kept a while longer ({@link #LATE_GRACE_NANOS}) while messages are still
 * coming ({@link #FLOWING_NANOS}): a client that reads more slowly than the server sends finds what the
 * server sent for a request after the request's time here, and asking again at once would pile up more
 * in the server's buffer for this connection. With nothing coming it is forgotten at once, so an idle
 * member asks again without delay.
 */
final class OpenPulls {
    /** How long after its expiry a request is still counted while messages come. */
    static final long LATE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
    /** Messages "are still coming" when the last one came this recently. */
    static final long FLOWING_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private final ArrayDeque<Pull> open = new ArrayDeque<>();
    /** The messages the open requests may still bring, together. */
    private int messages;
    /** When (nanoTime) the last message came; long ago at first. */
    private long lastArrival = System.nanoTime() - LATE_GRACE_NANOS;

    private static final class Pull {
        int messages;
        long bytes;
        final long expiresAt;

        Pull(int messages, long bytes, long expiresAt) {
            this.messages = messages;
            this.bytes = bytes;
            this.expiresAt = expiresAt;
        }
    }

    /** A request was sent: up to {@code messages} messages and {@code bytes} bytes, until {@code expiresAt} (nanoTime). */
    void sent(int messages, long bytes, long expiresAt) {
        open.addLast(new Pull(messages, bytes, expiresAt));
        this.messages += messages;
    }

    /**
     * A message came, counted against the oldest open request.
     *
     * @param bytes   what the server counts of it against a request's bytes ({@code consumeByteCount})
     * @param largest the largest message seen lately, this one included
     * @param now     nanoTime
     */
    void received(long bytes, long largest, long now) {
        lastArrival = now;
        Pull head = open.peekFirst();
        if (head == null) {
            return; // a request this member no longer counts (it expired here first)
        }
        head.messages--;
        head.bytes -= bytes;
        messages--;
        if (head.messages <= 0 || head.bytes < largest) {
            open.pollFirst();
            messages -= head.messages;
        }
    }

    /**
     * Forgets the requests that expired by {@code now} (nanoTime; they were sent in order and live as long), but
     * not while messages are still coming, up to {@link #LATE_GRACE_NANOS} after their expiry.
     */
    void expire(long now) {
        Pull head;
        while ((head = open.peekFirst()) != null && now - head.expiresAt >= 0) {
            if (now - lastArrival < FLOWING_NANOS && now - head.expiresAt < LATE_GRACE_NANOS) {
                return;
            }
            open.pollFirst();
            messages -= head.messages;
        }
    }

    /** The messages the open requests may still bring. */
    int messages() {
        return messages;
    }

    /** When the newest open request expires (nanoTime), or {@code now} when none is open. */
    long lastExpiry(long now) {
        Pull last = open.peekLast();
        return last == null ? now : last.expiresAt;
    }

    /**
     * The messages one request asks for: as many as the member's bytes hold at the size of the largest
     * message seen lately, at least one and at most the prefetch; the prefetch before any message came
     * (the request's byte bound ends it early then).
     */
    static int batch(int prefetch, long memberBytes, long largest) {
        if (largest <= 0) {
            return prefetch;
        }
        return (int) Math.max(1, Math.min(prefetch, memberBytes / largest));
    }

    /** The largest message seen lately: one as large or larger resets it; each smaller one lets it shrink by 1/64. */
    static long largest(long largest, long bytes) {
        long shrunk = largest - (largest >> 6);
        return Math.max(bytes, shrunk);
    }
}
