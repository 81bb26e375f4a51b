package io.anymq;

/** A running push subscription. Closing it stops deliveries and waits for running handlers. */
public interface Subscription extends AutoCloseable {

    /**
     * Whether it still dispatches.
     *
     * @return false once closed (or stopped by a failure)
     */
    boolean isActive();

    /**
     * Stops fetching, lets running handlers finish (up to the shutdown grace), and returns
     * deliveries that were fetched but not yet handled to the group. A second close does nothing.
     */
    @Override
    void close();
}
