package io.anymq.nats;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes the pull requests of one connection's JetStream members may ask for together
 * ({@code pull-max-bytes}), split evenly among the members. nats-server closes a client connection
 * whose unsent bytes pass its {@code max_pending} (64 MB by default: "Slow Consumer Detected"), and
 * the messages it had sent to it come again only after AckWait; requests that ask for less than that
 * cannot make it fall so far behind. A member's share is never below one message of the largest size
 * the server takes, since a request whose bytes cannot hold the next message brings nothing.
 */
final class PullBudget {
    private final long totalBytes;
    private final long largestMessageBytes;
    private final AtomicInteger members = new AtomicInteger();

    /**
     * @param totalBytes          {@code pull-max-bytes}
     * @param largestMessageBytes the most the server counts for one message: its max_payload and room for the subject
     *                            and reply subject
     */
    PullBudget(long totalBytes, long largestMessageBytes) {
        this.totalBytes = totalBytes;
        this.largestMessageBytes = largestMessageBytes;
    }

    void join() {
        members.incrementAndGet();
    }

    void leave() {
        members.decrementAndGet();
    }

    /** What one member's requests may ask for now. */
    long memberBytes() {
        return Math.max(largestMessageBytes, totalBytes / Math.max(1, members.get()));
    }
}
