package io.anymq;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a new group starts reading: {@link #LATEST} (the default), {@link #EARLIEST}, or {@link #at(Instant)}
 * a point in time. A group that already exists keeps its place, whatever its consumers ask for. Immutable;
 * {@link #LATEST} and {@link #EARLIEST} are the only instances of their kind, so {@code ==} compares them.
 *
 * <p>It was an enum before {@link #at(Instant)} came: code that names {@code StartPosition.EARLIEST} /
 * {@code LATEST} or compares with {@code ==} compiles unchanged; a {@code switch} over it switches on
 * {@link #kind()} instead.
 */
public final class StartPosition {

    /** What a start position is. */
    public enum Kind {
        /** Only messages sent after the group came into existence. */
        LATEST,
        /** The earliest message the topic still retains. */
        EARLIEST,
        /** The first message stored at or after a point in time, and everything after it. */
        TIME
    }

    /** Only messages sent after the group came into existence. The default. */
    public static final StartPosition LATEST = new StartPosition(Kind.LATEST, null);

    /** The earliest message the topic still retains. Needs {@link Capability#REPLAY_FROM_EARLIEST}. */
    public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, null);

    private final Kind kind;
    private final Instant time;

    private StartPosition(Kind kind, Instant time) {
        this.kind = kind;
        this.time = time;
    }

    /**
     * The first message the topic retains that was stored at or after {@code time}, and every message
     * after it (what "stored" means, the broker's clock or the message's timestamp, each backend's README
     * says). Needs {@link Capability#START_AT_TIME}. A time before everything retained reads from the
     * earliest retained message; a time after the newest reads only what comes next. A time in the future
     * (by the client's clock, when the consumer is made) is refused with a {@link ConfigurationException}.
     *
     * @param time a point in time, not before 1970-01-01T00:00:00Z
     * @return the start position
     * @throws ConfigurationException if {@code time} is before the epoch
     */
    public static StartPosition at(Instant time) {
        Objects.requireNonNull(time, "time");
        if (time.isBefore(Instant.EPOCH)) {
            throw new ConfigurationException("StartPosition.at needs a time at or after 1970-01-01T00:00:00Z: " + time);
        }
        return new StartPosition(Kind.TIME, time);
    }

    /**
     * Reads {@code earliest}, {@code latest} (any case) or an ISO-8601 instant such as
     * {@code 2026-11-30T08:00:00Z} or {@code 2026-11-30T09:00:00+01:00}.
     *
     * @param text the text
     * @return the start position
     * @throws ConfigurationException if the text is none of these
     */
    public static StartPosition parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            default:
                break;
        }
        Instant instant;
        try {
            instant = java.time.OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigurationException("a start position is 'earliest', 'latest' or an ISO-8601 time with an offset"
                    + " (2026-11-30T08:00:00Z): '" + text + "'");
        }
        return at(instant);
    }

    /**
     * What this start position is.
     *
     * @return {@link Kind#LATEST}, {@link Kind#EARLIEST} or {@link Kind#TIME}
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The point in time of a {@link Kind#TIME} start position.
     *
     * @return the time, or null for {@link #LATEST} and {@link #EARLIEST}
     */
    public Instant time() {
        return time;
    }

    /**
     * Whether this is a start at a point in time ({@link #at(Instant)}).
     *
     * @return true for {@link Kind#TIME}
     */
    public boolean isTime() {
        return kind == Kind.TIME;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof StartPosition && ((StartPosition) o).kind == kind && Objects.equals(((StartPosition) o).time, time);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Objects.hashCode(time);
    }

    /** {@code LATEST}, {@code EARLIEST}, or {@code at(2026-11-30T08:00:00Z)}. */
    @Override
    public String toString() {
        return kind == Kind.TIME ? "at(" + time + ")" : kind.name();
    }
}
