package io.anymq;

import io.anymq.spi.ConsumerDriver;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many fetched deliveries a push subscription may hold waiting for a handler. A delivery's ack timeout runs from
 * its fetch (on brokers that keep the timeout, from the moment they hand it out): one that waits for a free handler
 * longer than that is given back before its handler sees it. A subscription that fetched a backlog its handlers need
 * longer than the ack timeout to work through would then make no progress at all: each handler call is on a
 * delivery already given back, whose ack fails, while its copy waits and runs out in its turn. So the poller holds
 * only what its handlers start within a small part of the ack timeout ({@link ConsumerDriver#handOffWindow}): the handlers'
 * rate (how many there are over how long a call takes, measured) times that window; never fewer than one per
 * handler. Go CDK's pubsub sizes what it pulls from the measured processing time the same way.
 *
 * <p>{@code receive} uses one too, with one taker: the application's time between receives per delivery is its call.
 *
 * <p>Fast handlers are not slowed: their rate times the window is far above any fetch, which stays bounded by the
 * consumer's in-flight room as before. {@link #handled} is called by the handler threads, the rest by the poller.
 */
final class HandOffPace {
    /** Weight of a new measurement in the running handler time. */
    private static final double WEIGHT = 0.3;

    private final long windowNanos;
    private final int handlers;
    private final LongAdder calls = new LongAdder();
    private final LongAdder callNanos = new LongAdder();
    /** Poller only: the running time of one handler call in nanoseconds, 0 until measured, and the sums last read. */
    private double perCall;
    private long callsSeen;
    private long nanosSeen;

    /**
     * @param ackTimeout the consumer's ack timeout, or null for the backend's default
     * @param handlers   how many handlers take deliveries at once
     */
    HandOffPace(Duration ackTimeout, int handlers) {
        this.windowNanos = Math.max(1, Deadlines.nanos(ConsumerDriver.handOffWindow(ackTimeout)));
        this.handlers = Math.max(1, handlers);
    }

    /** A handler thread handled {@code n} deliveries in {@code nanos}. */
    void handled(int n, long nanos) {
        calls.add(n);
        callNanos.add(Math.max(0, nanos));
    }

    /** How many more deliveries may be fetched now, {@code waiting} being those fetched and not yet taken by a handler. */
    int room(int waiting) {
        long c = calls.sum();
        if (c != callsSeen) {
            long t = callNanos.sum();
            measured(c - callsSeen, t - nanosSeen);
            callsSeen = c;
            nanosSeen = t;
        }
        return Math.max(0, target() - waiting);
    }

    /**
     * Takes in a measurement on the poller's own thread: {@code n} deliveries took {@code nanos} (for {@code receive},
     * where the application's time between receives is measured under the poll lock, not by handler threads).
     */
    void measured(long n, long nanos) {
        double sample = Math.max(1.0, (double) Math.max(0, nanos) / n);
        perCall = perCall == 0 ? sample : perCall + WEIGHT * (sample - perCall);
    }

    /** How many deliveries may wait: what the handlers start within the window, at least one per handler. */
    int target() {
        long t = (long) handlers * perHandler();
        return t >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) t;
    }

    /**
     * How many deliveries may wait for one handler: what it starts within the window, at least one. A handler's own
     * queue is held to this too, since with handlers serial per key the keys, not the pace, choose the handler.
     */
    int perHandler() {
        if (perCall <= 0) {
            return 1;
        }
        double t = windowNanos / Math.max(1.0, perCall);
        return t >= Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(1, (int) Math.ceil(t));
    }

    /** How long the poller pauses when nothing more may be fetched: a twentieth of the window, 1 to 10 ms. */
    long pauseNanos() {
        return Math.max(1_000_000, Math.min(10_000_000, windowNanos / 20));
    }
}
