package io.anymq.spi;

import io.anymq.Health;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A driver's report of its connection, read by the core for {@link io.anymq.MessagingClient#health()}
 * and for a consumer's connection-loss timeout. The driver makes one when it connects (so it starts
 * {@link Health.State#CONNECTED}) and calls {@link #connected()}, {@link #reconnecting(String)} and
 * {@link #disconnected(String)} from its native client's connection listeners, or from the cheap
 * signals it has where the client has no listener. Reading it is one volatile read. Thread-safe.
 *
 * <p>A state's {@link Health#since()} is when it was entered: a report of the same state only
 * updates the reason.
 */
public final class ConnectionState {
    private final String broker;
    private final Clock clock;
    private volatile Health current;
    private volatile Runnable probe;
    private volatile long probeIntervalNanos;
    private volatile long lastProbe;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A connection that has just connected.
     *
     * @param broker what the connection reaches, as a person reads it, without secrets (such as
     *               {@code NATS at localhost:4222}); every detail starts with it
     */
    public ConnectionState(String broker) {
        this(broker, Clock.systemUTC());
    }

    /**
     * A connection that has just connected, timed by this clock (for tests).
     *
     * @param broker what the connection reaches, without secrets
     * @param clock  the clock for {@link Health#since()}
     */
    public ConnectionState(String broker, Clock clock) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = Health.of(Health.State.CONNECTED, broker + ": connected", clock.instant());
    }

    /**
     * What the connection reaches, as given at construction.
     *
     * @return the broker's description
     */
    public String broker() {
        return broker;
    }

    /** The connection is up (again). */
    public void connected() {
        report(Health.State.CONNECTED, "connected");
    }

    /**
     * The connection is up, with a note (such as how the driver observes it).
     *
     * @param note what to add after "connected", without secrets
     */
    public void connected(String note) {
        report(Health.State.CONNECTED, "connected; " + note);
    }

    /**
     * The connection is lost and the native client is trying to get it back.
     *
     * @param why the native client's reason, without secrets
     */
    public void reconnecting(String why) {
        report(Health.State.RECONNECTING, "connection lost, reconnecting: " + why);
    }

    /**
     * The connection is lost and the native client does not try again.
     *
     * @param why the native client's reason, without secrets
     */
    public void disconnected(String why) {
        report(Health.State.DISCONNECTED, "disconnected: " + why);
    }

    /**
     * For a native client without a connection listener: a probe that looks at the client's own
     * state (local and cheap, never a round trip to the broker) and reports through
     * {@link #connected()}, {@link #reconnecting(String)} and {@link #disconnected(String)}. It runs on
     * the thread that reads {@link #health()}, at most once per interval, one at a time; a read
     * meanwhile gets the last report.
     *
     * @param probe    the check
     * @param interval the least time between two checks
     */
    public void probeWith(Runnable probe, java.time.Duration interval) {
        this.probeIntervalNanos = interval.toNanos();
        this.lastProbe = System.nanoTime() - probeIntervalNanos;
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /**
     * The state now (never {@link Health.State#CLOSED}: the core reports that), after the probe when
     * one is set and its interval has passed.
     *
     * @return the last report
     */
    public Health health() {
        Runnable p = probe;
        if (p != null && System.nanoTime() - lastProbe >= probeIntervalNanos && probing.compareAndSet(false, true)) {
            try {
                lastProbe = System.nanoTime();
                p.run();
            } catch (RuntimeException e) {
                // a probe that fails says nothing new: the last report stays
            } finally {
                probing.set(false);
            }
        }
        return current;
    }

    /**
     * Whether the connection is lost now: {@link Health.State#RECONNECTING} or {@link Health.State#DISCONNECTED}
     * (after the probe, as {@link #health()}).
     *
     * @return whether it is lost
     */
    public boolean lost() {
        Health.State now = health().state();
        return now == Health.State.RECONNECTING || now == Health.State.DISCONNECTED;
    }

    /** How often a wait runs the probe, when one is set (a report wakes the wait at once otherwise). */
    private static final long AWAIT_SLICE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * While the connection is lost, waits until it is reported up again or the timeout passes: for a call the native
     * client would hold until the reconnection, without a bound. An interrupt does not end the wait (the timeout bounds
     * it); the flag is set again after.
     *
     * @param timeout how long to wait at most
     * @return whether the connection is not lost at the end
     */
    public boolean awaitNotLost(java.time.Duration timeout) {
        if (!lost()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            synchronized (this) {
                while (lost()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, AWAIT_SLICE_NANOS));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void report(Health.State state, String what) {
        Health before = current;
        String detail = broker + ": " + what;
        if (before.state() == state) {
            if (!before.detail().equals(detail)) {
                current = Health.of(state, detail, before.since());
            }
            return;
        }
        current = Health.of(state, detail, clock.instant());
        notifyAll(); // wakes awaitNotLost
    }

    @Override
    public String toString() {
        return "ConnectionState{" + current + "}";
    }
}
