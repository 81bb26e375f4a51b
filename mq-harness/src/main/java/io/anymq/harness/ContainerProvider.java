package io.anymq.harness;

/**
 * Starts brokers in containers. mq-harness itself carries no container library (so nothing that
 * depends on it, such as the {@code mq} command, ships Docker clients): an implementation, such as
 * {@code mq-harness-testcontainers}, is found with {@link java.util.ServiceLoader} when it is on the
 * class path, and {@link Brokers#provide} uses it only when it supports the broker and says a
 * container engine is reachable. Otherwise the broker starts as a local process.
 */
public interface ContainerProvider {
    /** A short name for logs and {@link Broker#source()}, such as {@code testcontainers}. */
    String name();

    /** Whether this provider can start this broker with these options (cheap, no engine contact). */
    boolean supports(BrokerKind kind, BrokerOptions options);

    /** Whether a container engine answers now. */
    boolean available();

    /** Starts the broker and waits until it accepts connections. */
    Broker start(BrokerKind kind, BrokerOptions options);
}
