package io.anymq.tck;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.tck.TckReport.Outcome;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the conformance suite against a backend without writing a test class: what {@code mq verify URL}
 * does. For a provider's own build, extending {@link MessagingTck} in a test is the usual way; this is
 * for checking a broker or a configuration from a program or the command line.
 *
 * <pre>{@code
 * TckReport report = Verification.builder("kafka://127.0.0.1:9092").only(List.of("roundTrip*")).build().run();
 * }</pre>
 *
 * Every topic and group the run makes starts with the settings' {@link TckSettings#namePrefix()}.
 *
 * <p>{@link Builder#copies(int) copies(n)} runs n copies of the selected scenarios at once against the same broker
 * (Watermill's stress mode): each copy on a thread of its own, with its own clients, its own name prefix
 * ({@code <prefix>c<i>-}) and its own report ({@code <reportName>-copy<i>}); {@link #runCopies()} returns the n
 * reports, so a failure is seen per copy. Verifications in different threads may also run at once.
 */
public final class Verification {

    /** Progress of a run; every method has an empty default. */
    public interface Listener {
        /** The number of scenarios selected, before the first starts. */
        default void planned(int scenarios) {
        }

        /** Scenario {@code n} of {@code total} starts. */
        default void started(int n, int total, String scenario) {
        }

        /** A scenario ended. */
        default void finished(String scenario, Outcome outcome, String detail) {
        }

        /**
         * The listener of copy {@code copy} (1 to n) when {@link Builder#copies(int) several copies} run; called once
         * per copy before it starts, its events then come from that copy's thread. This listener by default.
         */
        default Listener copy(int copy) {
            return this;
        }
    }

    private final Supplier<MessagingClient> clients;
    private final TckSettings settings;
    private final List<String> only;
    private final List<String> skip;
    private final Listener listener;
    private final BrokerFaults faults;
    private final java.util.Map<String, String> childConfig;
    private final int copies;

    private Verification(Builder b) {
        this.faults = b.faults;
        this.childConfig = b.childConfig;
        this.clients = b.clients;
        this.settings = b.settings;
        this.only = List.copyOf(b.only);
        this.skip = List.copyOf(b.skip);
        this.listener = b.listener;
        this.copies = b.copies;
        if (copies > 1 && faults != null) {
            throw new IllegalArgumentException("copies(" + copies + ") with a fault hook: a copy's fault scenario would restart or cut the"
                    + " broker under the other copies; run the copies without faults");
        }
        for (String p : only) {
            requireMatch(p);
        }
        for (String p : skip) {
            requireMatch(p);
        }
    }

    /**
     * A verification of the backend at this URL; every client the suite needs is {@code Messaging.connect(url)}, and a
     * child JVM of the crash scenarios connects to the same URL.
     */
    public static Builder builder(String url) {
        Objects.requireNonNull(url, "url");
        return new Builder(() -> Messaging.connect(url)).childClientConfig(java.util.Map.of(io.anymq.MessagingConfig.URL_KEY, url));
    }

    /** A verification of the clients this supplier makes (one per call; the suite closes each). */
    public static Builder builder(Supplier<MessagingClient> clients) {
        return new Builder(Objects.requireNonNull(clients, "clients"));
    }

    /** The names of every scenario of the suite, sorted. */
    public static List<String> scenarioNames() {
        return CapabilityReport.allScenarios().stream().map(TckReport.ScenarioResult::scenario).sorted().toList();
    }

    /**
     * Runs the selected scenarios and returns the report (also written to the settings' report
     * directory). A failed scenario is a result in the report, not an exception; an exception means the
     * suite could not run at all (for example, the first client could not connect: its error is thrown).
     *
     * @throws IllegalStateException when {@link Builder#copies(int)} asked for more than one copy: use {@link #runCopies()}
     */
    public TckReport run() {
        if (copies > 1) {
            throw new IllegalStateException(copies + " copies give " + copies + " reports: use runCopies()");
        }
        return runOne(settings, listener);
    }

    /**
     * Runs the {@link Builder#copies(int) copies} at once, each on a thread of its own with its own clients, name prefix
     * ({@code <prefix>c<i>-}) and report name ({@code <reportName>-copy<i>}, {@code tck-copy<i>} without one), and
     * returns their reports in copy order; with one copy, {@link #run()}'s report alone. A copy that could not run at
     * all throws its error after every copy ended.
     */
    public List<TckReport> runCopies() {
        if (copies == 1) {
            return List.of(runOne(settings, listener));
        }
        List<AtomicReference<TckReport>> reports = new ArrayList<>();
        List<AtomicReference<RuntimeException>> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= copies; i++) {
            TckSettings copy = settings.toBuilder().namePrefix(settings.namePrefix() + "c" + i + "-")
                    .reportName((settings.reportName() == null ? "tck" : settings.reportName()) + "-copy" + i).build();
            Listener copyListener = listener.copy(i);
            AtomicReference<TckReport> report = new AtomicReference<>();
            AtomicReference<RuntimeException> error = new AtomicReference<>();
            reports.add(report);
            errors.add(error);
            Thread t = new Thread(() -> {
                try {
                    report.set(runOne(copy, copyListener));
                } catch (RuntimeException e) {
                    error.set(e);
                }
            }, "anymq-verify-copy-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.anymq.MessagingInterruptedException("interrupted while " + copies + " copies of the suite ran", e);
            }
        }
        for (AtomicReference<RuntimeException> e : errors) {
            if (e.get() != null) {
                throw e.get();
            }
        }
        return reports.stream().map(AtomicReference::get).toList();
    }

    private TckReport runOne(TckSettings runSettings, Listener events) {
        AtomicReference<TckReport> report = new AtomicReference<>();
        AtomicReference<Throwable> classFailure = new AtomicReference<>();
        try {
            VerifyingTck.CURRENT.set(new VerifyingTck.Run(clients, runSettings, faults, childConfig, report::set));
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(VerifyingTck.class))
                    .filters((PostDiscoveryFilter) d -> d.getSource().filter(MethodSource.class::isInstance)
                            .map(s -> selected(((MethodSource) s).getMethodName())
                                    ? FilterResult.included("selected") : FilterResult.excluded("not selected"))
                            .orElse(FilterResult.included("container")))
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .build();
            Launcher launcher = LauncherFactory.create();
            TestPlan plan = launcher.discover(request);
            int total = (int) plan.countTestIdentifiers(TestIdentifier::isTest);
            events.planned(total);
            AtomicInteger n = new AtomicInteger();
            launcher.execute(plan, new TestExecutionListener() {
                @Override
                public void executionStarted(TestIdentifier id) {
                    if (id.isTest()) {
                        events.started(n.incrementAndGet(), total, scenario(id));
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier id, String reason) {
                    if (id.isTest()) {
                        events.finished(scenario(id), Outcome.NOT_RUN, reason);
                    }
                }

                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (id.isTest()) {
                        events.finished(scenario(id), switch (result.getStatus()) {
                            case SUCCESSFUL -> Outcome.PASSED;
                            case ABORTED -> Outcome.NOT_RUN;
                            case FAILED -> Outcome.FAILED;
                        }, result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(""));
                    } else if (result.getStatus() == TestExecutionResult.Status.FAILED && classFailure.get() == null) {
                        result.getThrowable().ifPresent(classFailure::set);
                    }
                }
            });
        } finally {
            VerifyingTck.CURRENT.remove();
        }
        if (report.get() == null) {
            Throwable t = classFailure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("the suite could not run" + (t == null ? "" : ": " + t), t);
        }
        return report.get();
    }

    private boolean selected(String scenario) {
        boolean in = only.isEmpty() || only.stream().anyMatch(p -> matches(p, scenario));
        return in && skip.stream().noneMatch(p -> matches(p, scenario));
    }

    private static String scenario(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                .orElse(id.getDisplayName());
    }

    /** A pattern is a scenario name, where {@code *} stands for any characters. */
    static boolean matches(String pattern, String scenario) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0 || pattern.startsWith("*")) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(scenario).matches();
    }

    private static void requireMatch(String pattern) {
        if (scenarioNames().stream().noneMatch(s -> matches(pattern, s))) {
            throw new IllegalArgumentException("no scenario matches '" + pattern + "'; the scenarios are: "
                    + String.join(", ", scenarioNames()));
        }
    }

    /** Builds a {@link Verification}. */
    public static final class Builder {
        private final Supplier<MessagingClient> clients;
        private TckSettings settings = TckSettings.defaults();
        private final List<String> only = new ArrayList<>();
        private final List<String> skip = new ArrayList<>();
        private Listener listener = new Listener() {
        };
        private BrokerFaults faults;
        private java.util.Map<String, String> childConfig;
        private int copies = 1;

        private Builder(Supplier<MessagingClient> clients) {
            this.clients = clients;
        }

        /** Timings, scale, name prefix and report directory; {@link TckSettings#defaults()} unless set. */
        public Builder settings(TckSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Run only the scenarios these patterns match (a name, {@code *} for any characters); all when empty. */
        public Builder only(Collection<String> patterns) {
            only.addAll(patterns);
            return this;
        }

        /** Leave out the scenarios these patterns match. */
        public Builder skip(Collection<String> patterns) {
            skip.addAll(patterns);
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Allows the fault scenarios: the suite restarts, kills or cuts off the broker through this hook
         * (only for a broker that may be restarted). Without it (the default) the broker is never touched.
         */
        public Builder faults(BrokerFaults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /**
         * How a child JVM connects, for the scenarios that kill a client process (see
         * {@link MessagingTck#childClientConfig()}); set by {@link #builder(String)} to its URL, null (not run) for a
         * supplier of clients unless given here.
         */
        public Builder childClientConfig(java.util.Map<String, String> config) {
            this.childConfig = config == null ? null : java.util.Map.copyOf(config);
            return this;
        }

        /**
         * Run this many copies of the selected scenarios at once against the same broker ({@link #runCopies()}): 1 by
         * default. Not with {@link #faults(BrokerFaults)}: a fault scenario of one copy would act on the others' broker.
         */
        public Builder copies(int copies) {
            if (copies < 1) {
                throw new IllegalArgumentException("copies must be at least 1: " + copies);
            }
            this.copies = copies;
            return this;
        }

        /** The verification; an unknown pattern is an {@link IllegalArgumentException} that lists the scenarios. */
        public Verification build() {
            return new Verification(this);
        }
    }
}
