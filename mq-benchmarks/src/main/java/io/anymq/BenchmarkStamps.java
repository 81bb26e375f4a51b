package io.anymq;

/** The core's send-time stamping, for benchmarks of what drivers do with a stamped message. */
public final class BenchmarkStamps {
    private BenchmarkStamps() {
    }

    /** The message as the core hands it to a driver: a generated id and the send time, both made lazily. */
    public static Message stamped(Message m, long nowMillis) {
        return m.stampedLazily(nowMillis);
    }
}
