package io.anymq.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Deliveries a driver fetched ahead (one broker round trip for many polls) and has not handed to
 * the core yet. Only the polling thread touches it, as {@link ConsumerDriver#poll} is called from
 * one thread at a time.
 *
 * @param <D> the driver's delivery type
 */
public final class ReadAhead<D extends DriverDelivery> {
    private final ArrayDeque<D> queue = new ArrayDeque<>();
    /** The core's bound ({@link ConsumerDriver#limitReadAhead}); volatile: set between polls, maybe by another thread. */
    private volatile int limit = Integer.MAX_VALUE;

    /** An empty buffer. */
    public ReadAhead() {
    }

    /**
     * Keeps a delivery for a later poll.
     *
     * @param delivery a delivery fetched from the broker
     */
    public void add(D delivery) {
        queue.add(delivery);
    }

    /**
     * Whether nothing is kept.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * How many deliveries are kept.
     *
     * @return the count
     */
    public int size() {
        return queue.size();
    }

    /** Takes up to {@code max} deliveries, oldest first. */
    public List<DriverDelivery> drain(int max) {
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, queue.size()));
        D d;
        while (out.size() < max && (d = queue.poll()) != null) {
            out.add(d);
        }
        return out;
    }

    /**
     * Takes the core's read-ahead bound ({@link ConsumerDriver#limitReadAhead}); a driver's {@code limitReadAhead} passes
     * it here.
     *
     * @param most the bound
     */
    public void limit(int most) {
        limit = Math.max(1, most);
    }

    /**
     * How many to fetch from the broker for a poll that asked for {@code asked}: the driver's prefetch, within the
     * core's read-ahead bound, and never fewer than asked.
     *
     * @param asked    what the poll asked for
     * @param prefetch how many the driver fetches ahead when nothing bounds it (usually the consumer's in-flight bound)
     * @return the count to fetch
     */
    public int fetchSize(int asked, int prefetch) {
        return Math.max(Math.max(1, asked), Math.min(prefetch, limit));
    }

    /** Drops the deliveries that match (for example those of a partition this member lost). */
    public void removeIf(Predicate<? super D> filter) {
        queue.removeIf(filter);
    }

    /** Takes every delivery out, handing each to the action (for example to release it on close). */
    public void takeAll(Consumer<? super D> action) {
        D d;
        while ((d = queue.poll()) != null) {
            action.accept(d);
        }
    }
}
