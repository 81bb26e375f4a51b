package io.anymq.tck;

import java.time.Duration;
import java.util.Set;

/**
 * The hook through which the fault scenarios act on the broker under test: restart it, kill it, cut
 * its connections. The suite runs the fault scenarios only when it is given one
 * ({@link MessagingTck#brokerFaults()}, {@code Verification.Builder.faults}, {@code mq verify --faults}),
 * and then only those whose faults {@link #supported()} names: without a hook the suite never touches
 * the broker. Each method returns when the broker accepts connections again (or throws, which fails
 * the scenario), on the same address, with its data where it persists.
 *
 * <p>Implement it for your own broker (a container, a service manager, a cloud API); {@link #command}
 * makes one of a program, and the anymq harness offers one for the brokers it starts.
 */
public interface BrokerFaults {

    /** The faults a hook can cause. */
    enum Fault {
        /** Stop gracefully and start again. */
        RESTART,
        /** {@code kill -9} (no shutdown of any kind) and start again. */
        KILL,
        /** Drop every client connection and refuse new ones for a while, the broker itself running on. */
        CUT_CONNECTIONS
    }

    /** What this hook can do; the scenarios of the others are not run. */
    Set<Fault> supported();

    /** Stops the broker gracefully and starts it again; returns when it accepts connections. */
    void restart();

    /** Kills the broker ({@code kill -9}) and starts it again; returns when it accepts connections. */
    void killAndRestart();

    /**
     * Drops every client connection and refuses (or black-holes) new ones for {@code outage}; returns when
     * connections are accepted again.
     */
    default void cutConnections(Duration outage) {
        throw new UnsupportedOperationException(this + " cannot cut connections");
    }

    /**
     * A hook that runs a program: {@code program... restart}, {@code program... kill} or
     * {@code program... cut SECONDS}, which must exit 0 once the broker accepts connections again (its
     * output goes to this process's standard error). For example {@code ./faults.sh} calling
     * {@code systemctl restart kafka}, {@code docker kill -s KILL} and {@code docker start}, or
     * {@code iptables}.
     *
     * @param program   the program and its first arguments
     * @param supported the faults it can cause
     * @param timeout   how long one call may take
     */
    static BrokerFaults command(java.util.List<String> program, Set<Fault> supported, Duration timeout) {
        return new CommandFaults(program, supported, timeout);
    }
}
