package io.anymq.it.cluster;

/**
 * A cluster of three (or more) broker nodes started as local processes for {@link ClusterFailoverDrill}: the SDK URL
 * that reaches every node, and a {@code kill -9} of whichever node leads the topic's partition, queue or stream.
 * {@link #close()} stops every node that still runs.
 */
interface ClusterUnderTest extends AutoCloseable {
    /** Starts every node and waits until the cluster serves requests. */
    void start() throws Exception;

    /** The SDK URL (every node as a seed, with the options that make the topic replicated). */
    String url();

    /** Kills the node that leads the topic ({@code kill -9}) and says which one it was. */
    String killLeader(String topic) throws Exception;

    /** How the cluster was set up, for the report. */
    String setup();

    @Override
    void close();
}
