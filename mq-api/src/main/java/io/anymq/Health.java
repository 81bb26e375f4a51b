package io.anymq;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a {@link MessagingClient} is connected and usable, and why not: what
 * {@link MessagingClient#health()} returns, for liveness and readiness probes. Immutable; reading
 * it costs no round trip to the broker (the driver reports changes as its native client sees them).
 *
 * <p>{@link #detail()} names the broker and says why (never a secret); {@link #since()} is when the
 * client entered this state, so a probe can allow a short reconnection and fail a long one.
 */
public final class Health {

    /** The state of a client's connection. */
    public enum State {
        /** Connected: sends and receives reach the broker. */
        CONNECTED,
        /** The connection is lost and the client is trying to get it back by itself. */
        RECONNECTING,
        /** The connection is lost and the client does not try again (or has given up). */
        DISCONNECTED,
        /** The client was closed by the application. */
        CLOSED
    }

    private final State state;
    private final String detail;
    private final Instant since;

    private Health(State state, String detail, Instant since) {
        this.state = Objects.requireNonNull(state, "state");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.since = Objects.requireNonNull(since, "since");
    }

    /**
     * A health value.
     *
     * @param state  the state
     * @param detail which broker and why, without secrets
     * @param since  when the client entered the state
     * @return the value
     * @throws NullPointerException an argument is null
     */
    public static Health of(State state, String detail, Instant since) {
        return new Health(state, detail, since);
    }

    /**
     * The state.
     *
     * @return never null
     */
    public State state() {
        return state;
    }

    /**
     * Which broker, and why the client is in this state (the native client's reason for a lost
     * connection), without secrets; also says when a backend cannot observe its connection.
     *
     * @return never null
     */
    public String detail() {
        return detail;
    }

    /**
     * When the client entered this state.
     *
     * @return never null
     */
    public Instant since() {
        return since;
    }

    /**
     * Whether sends and receives can reach the broker now: true only when {@link #state()} is
     * {@link State#CONNECTED}.
     *
     * @return whether the client is usable
     */
    public boolean usable() {
        return state == State.CONNECTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Health h && state == h.state && detail.equals(h.detail) && since.equals(h.since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, detail, since);
    }

    @Override
    public String toString() {
        return "Health{" + state + " since " + since + ": " + detail + "}";
    }
}
