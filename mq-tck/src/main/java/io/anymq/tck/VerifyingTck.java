package io.anymq.tck;

import io.anymq.MessagingClient;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The suite as {@link Verification} runs it: clients and settings come from the run that made this instance. Several
 * runs (copies) may go at once, each on a thread of its own: the run is handed over in a thread-local that the
 * instance reads once, when JUnit makes it on the thread that runs the class.
 */
final class VerifyingTck extends MessagingTck {

    /** What a run tests, and who gets its report. */
    record Run(Supplier<MessagingClient> clients, TckSettings settings, BrokerFaults faults, java.util.Map<String, String> childConfig,
               Consumer<TckReport> reports) {
    }

    /** The run of the launcher on this thread; set by {@link Verification} while the launcher runs this class. */
    static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

    private final Run run;

    VerifyingTck() {
        run = CURRENT.get();
        if (run == null) {
            throw new IllegalStateException("VerifyingTck runs only through Verification");
        }
    }

    @Override
    protected MessagingClient createClient() {
        return run.clients().get();
    }

    @Override
    protected BrokerFaults brokerFaults() {
        return run.faults();
    }

    @Override
    protected java.util.Map<String, String> childClientConfig() {
        return run.childConfig();
    }

    @Override
    public TckSettings settings() {
        return run.settings();
    }

    @Override
    void reportWritten(TckReport report) {
        run.reports().accept(report);
    }
}
