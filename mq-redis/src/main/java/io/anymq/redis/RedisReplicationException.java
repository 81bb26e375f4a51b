package io.anymq.redis;

import io.anymq.MessagingTimeoutException;

import java.time.Duration;

/**
 * A write the master stored whose replication {@code WAIT} did not reach the number of replicas the option
 * {@code wait-replicas} asks for within {@code wait-timeout} (or whose {@code WAIT} got no answer): the write is <b>in
 * doubt</b>. It is on the master, and it may or may not be on a replica; should the master fail before a replica has
 * it, a failover loses it. Retryable: sending again may store the message twice (the consumers see a duplicate).
 */
public final class RedisReplicationException extends MessagingTimeoutException {
    private final long acknowledged;
    private final int required;

    RedisReplicationException(String what, long acknowledged, int required, Duration timeout, Throwable cause) {
        super(what + " is in doubt: Redis stored it on the master, but "
                + (acknowledged < 0 ? "WAIT " + required + " got no answer (" + (cause == null ? "" : cause.getMessage()) + ")"
                : acknowledged + " of the " + required + " replicas required (option wait-replicas) acknowledged it within "
                + timeout.toMillis() + " ms (option wait-timeout)")
                + ": it may be lost if the master fails now", cause);
        this.acknowledged = acknowledged;
        this.required = required;
    }

    /** How many replicas acknowledged the write ({@code WAIT}'s answer), or -1 when {@code WAIT} got no answer. */
    public long acknowledged() {
        return acknowledged;
    }

    /** How many replicas the option {@code wait-replicas} asks for. */
    public int required() {
        return required;
    }
}
