package io.anymq.bench;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a benchmark drives: anymq over a URL, or a backend's native client doing the same work the
 * way a good user of that client would (same acknowledgements, same batching settings), or a peer
 * framework ({@link Bench#peer}: public for that, so that a module of its own, with the framework's
 * dependencies, can add one). One instance serves one run: it is opened before the run and closed after.
 */
public interface BenchTarget extends AutoCloseable {

    /** A short label for reports, such as {@code anymq} or {@code kafka-clients}. */
    String name();

    /** Makes the topics ready (created where the backend needs that). */
    void prepare(List<String> topics) throws Exception;

    /** A sender for one producer thread. */
    Sender sender(String topic) throws Exception;

    /** Starts one consumer of the group that hands every received payload to the sink, and acks it. */
    AutoCloseable consume(String topic, String group, Sink sink) throws Exception;

    /**
     * Whether this target's consumers run the workload's {@code consumerConcurrency} themselves (the sink
     * is called that many at a time, each message acked after its call returns). When not, the runner
     * hands deliveries to a pool of that many handler threads, and says so in the report.
     */
    default boolean runsConcurrency() {
        return false;
    }

    /** Why this target cannot run the workload with the same meaning as anymq (then it is not run), or null. */
    default String cannotRun(Workload w) {
        return null;
    }

    /** What differs in how this target runs the workload, for the report (empty when nothing does). */
    default java.util.List<String> notes(Workload w) {
        return java.util.List.of();
    }

    /**
     * Deletes what a run left on the broker (its topics and the groups' state), after its consumers closed and
     * outside the measured time, so that a broker serving many runs does not grow (and fsync, or rewrite its
     * log) with every run before. Targets that cannot delete keep the default, which does nothing.
     */
    default void cleanUp(List<String> topics, List<String> groups) throws Exception {
    }

    @Override
    void close() throws Exception;

    /** Sends for one producer thread. */
    interface Sender extends AutoCloseable {
        /** Sends; calls back once the backend confirmed (error null) or failed. */
        void send(byte[] payload, String key, Confirm confirm) throws Exception;

        /** Waits for outstanding confirmations where the client buffers. */
        default void flush() throws Exception {
        }

        @Override
        void close() throws Exception;
    }

    @FunctionalInterface
    interface Confirm {
        void done(Throwable errorOrNull);
    }

    @FunctionalInterface
    interface Sink {
        /** One received payload; {@code redelivered} when the backend says it is not the first delivery. */
        void received(ByteBuffer payload, boolean redelivered);
    }
}
