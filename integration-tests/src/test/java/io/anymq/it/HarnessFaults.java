package io.anymq.it;

import io.anymq.harness.Broker;
import io.anymq.tck.BrokerFaults;

import java.util.EnumSet;
import java.util.Set;

/** The suite's {@link BrokerFaults} hook on a broker the harness started: a graceful restart, or kill -9 and a restart. */
public final class HarnessFaults implements BrokerFaults {
    private final Broker broker;

    private HarnessFaults(Broker broker) {
        this.broker = broker;
    }

    /** The hook; only for a broker the harness started as a local process (it may kill only those). */
    public static BrokerFaults of(Broker broker) {
        if (!broker.source().equals("local-process")) {
            throw new IllegalArgumentException("the harness may kill only a broker it started, not one from " + broker.source());
        }
        return new HarnessFaults(broker);
    }

    @Override
    public Set<Fault> supported() {
        return EnumSet.of(Fault.RESTART, Fault.KILL);
    }

    @Override
    public void restart() {
        broker.restart();
    }

    @Override
    public void killAndRestart() {
        broker.kill();
        broker.restart();
    }

    @Override
    public String toString() {
        return "HarnessFaults(" + broker.kind() + " on port " + broker.port() + ")";
    }
}
