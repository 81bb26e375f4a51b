package io.anymq.tck;

import io.anymq.MessagingClient;

import java.util.function.Supplier;

/** The suite as {@link Verification} runs it: clients and settings come from the run in progress. */
final class VerifyingTck extends MessagingTck {

    /** What the run in progress tests; set by {@link Verification} while the launcher runs this class. */
    record Run(Supplier<MessagingClient> clients, TckSettings settings, BrokerFaults faults, java.util.Map<String, String> childConfig) {
    }

    static volatile Run current;

    @Override
    protected MessagingClient createClient() {
        return current.clients().get();
    }

    @Override
    protected BrokerFaults brokerFaults() {
        return current.faults();
    }

    @Override
    protected java.util.Map<String, String> childClientConfig() {
        return current.childConfig();
    }

    @Override
    public TckSettings settings() {
        return current.settings();
    }
}
