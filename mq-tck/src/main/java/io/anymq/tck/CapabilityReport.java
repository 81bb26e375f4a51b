package io.anymq.tck;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.tck.TckReport.CapabilityVerdict;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckReport.ScenarioResult;
import io.anymq.tck.TckReport.Verdict;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs each scenario only where the backend declares what it {@link Requires}, records every
 * outcome, and after the class writes the capability report {@code <reportDirectory>/<name>.md}.
 */
final class CapabilityReport implements BeforeEachCallback, TestWatcher, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CapabilityReport.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        MessagingTck tck = (MessagingTck) context.getRequiredTestInstance();
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        for (Capability c : needs(context.getRequiredTestMethod())) {
            if (!tck.client().capabilities().has(c)) {
                missing.add(c);
            }
        }
        Assumptions.assumeTrue(missing.isEmpty(), () -> "needs " + missing + ", which " + tck.client().provider()
                + " does not declare; refusalsOfUndeclaredCapabilities checks that asking for it is refused");
        Requires r = context.getRequiredTestMethod().getAnnotation(Requires.class);
        if (r != null && r.stress()) {
            Assumptions.assumeTrue(tck.settings().stress(), "a stress scenario: runs in stress mode only (TckSettings.stress, mq verify --stress)");
        }
        if (r != null && r.childProcess()) {
            Assumptions.assumeTrue(tck.settings().childProcesses(), "kills a client process of its own: child processes are off (TckSettings.childProcesses, mq verify --no-child-processes)");
            Assumptions.assumeTrue(tck.childConnection() != null, "kills a client process of its own: the suite does not know how a child JVM connects (MessagingTck.childClientConfig)");
        }
        if (r != null && r.faults().length > 0) {
            BrokerFaults faults = tck.faults();
            Assumptions.assumeTrue(faults != null, "a fault scenario: runs only with a broker the suite may restart (a BrokerFaults hook, mq verify --faults)");
            Set<BrokerFaults.Fault> lacking = EnumSet.noneOf(BrokerFaults.Fault.class);
            for (BrokerFaults.Fault f : r.faults()) {
                if (!faults.supported().contains(f)) {
                    lacking.add(f);
                }
            }
            Assumptions.assumeTrue(lacking.isEmpty(), () -> "needs the fault hook to cause " + lacking + ", which " + faults + " does not");
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, Outcome.PASSED, "");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).replace('\n', ' ');
        record(context, Outcome.FAILED, message.length() > 200 ? message.substring(0, 200) + "..." : message);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String why = String.valueOf(cause.getMessage());
        record(context, Outcome.NOT_RUN, why.startsWith("Assumption failed: ") ? why.substring("Assumption failed: ".length()) : why);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, Outcome.NOT_RUN, reason.orElse("disabled"));
    }

    static Set<Capability> needs(Method method) {
        Requires r = method.getAnnotation(Requires.class);
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        if (r != null) {
            set.addAll(List.of(r.value()));
        }
        return set;
    }

    /** Every scenario of the suite with what it needs, selected in this run or not. */
    static List<ScenarioResult> allScenarios() {
        List<ScenarioResult> all = new ArrayList<>();
        for (Method m : MessagingTck.class.getMethods()) {
            if (m.isAnnotationPresent(Test.class)) {
                all.add(new ScenarioResult(m.getName(), needs(m), Outcome.NOT_RUN, "not selected"));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static List<ScenarioResult> results(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent("results", k -> new ArrayList<ScenarioResult>(), List.class);
    }

    private static void record(ExtensionContext context, Outcome outcome, String detail) {
        Method m = context.getRequiredTestMethod();
        List<ScenarioResult> results = results(context);
        synchronized (results) {
            results.add(new ScenarioResult(m.getName(), needs(m), outcome, detail));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MessagingTck tck = (MessagingTck) context.getRequiredTestInstance();
        if (tck.client() == null) {
            return;
        }
        String name = tck.settings().reportName() != null ? tck.settings().reportName() : tck.client().provider();
        List<ScenarioResult> results;
        synchronized (results(context)) {
            results = List.copyOf(results(context));
        }
        TckReport report = report(name, tck.client().provider(), tck.client().capabilities(), results, tck.observations(), tck.names(),
                tck.tallies(), tck.deleted(), tck.leftBehind(), tck.settings().deleteWhatItMade());
        Path file = tck.settings().reportDirectory().resolve(name + ".md");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report.toMarkdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the capability report " + file, e);
        }
        tck.reportWritten(report);
    }

    static TckReport report(String name, String provider, Capabilities caps, List<ScenarioResult> results,
                            java.util.Map<String, String> observations, Set<String> names, List<TckReport.Tally> tallies,
                            List<String> deleted, java.util.Map<String, String> leftBehind, boolean deletionAsked) {
        List<ScenarioResult> suite = allScenarios();
        List<CapabilityVerdict> verdicts = new ArrayList<>();
        Optional<ScenarioResult> refusals = results.stream().filter(r -> r.scenario().equals("refusalsOfUndeclaredCapabilities")).findFirst();
        for (Capability c : Capability.values()) {
            List<ScenarioResult> using = results.stream().filter(r -> r.needs().contains(c)).toList();
            List<ScenarioResult> ran = using.stream().filter(r -> r.outcome() != Outcome.NOT_RUN).toList();
            boolean suiteNeedsIt = suite.stream().anyMatch(r -> r.needs().contains(c));
            Verdict verdict;
            if (!caps.has(c) && !RefusalScenarios.REQUESTABLE.contains(c)) {
                verdict = Verdict.NOT_DECLARED_PROPERTY;
            } else if (!caps.has(c)) {
                verdict = refusals.isEmpty() ? Verdict.NOT_VERIFIED
                        : refusals.get().outcome() == Outcome.FAILED ? Verdict.REFUSAL_FAILED : Verdict.REFUSED_AS_REQUIRED;
            } else if (ran.isEmpty()) {
                verdict = suiteNeedsIt ? Verdict.NOT_VERIFIED : Verdict.DECLARED_NOT_TESTED_ALONE;
            } else {
                verdict = ran.stream().anyMatch(r -> r.outcome() == Outcome.FAILED) ? Verdict.FAILED : Verdict.PASSED;
            }
            verdicts.add(new CapabilityVerdict(c, caps.has(c), using.stream().map(ScenarioResult::scenario).toList(), verdict));
        }
        List<ScenarioResult> sorted = results.stream().sorted(Comparator.comparing(ScenarioResult::scenario)).toList();
        java.util.Map<String, String> left = new java.util.HashMap<>(leftBehind);
        if (!deletionAsked) {
            names.forEach(n -> left.put(n, "deletion not asked for (TckSettings.deleteWhatItMade)"));
        }
        return new TckReport(name, provider, caps, verdicts, sorted, observations, names.stream().sorted().toList(), tallies,
                deleted.stream().sorted().toList(), left);
    }
}
