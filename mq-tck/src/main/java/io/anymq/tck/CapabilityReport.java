package io.anymq.tck;

import io.anymq.Capabilities;
import io.anymq.Capability;
import org.junit.jupiter.api.Assumptions;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs each scenario only where the backend declares what it {@link Requires}, records every
 * outcome, and after the class writes the capability report {@code target/tck/<name>.md}.
 */
final class CapabilityReport implements BeforeEachCallback, TestWatcher, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CapabilityReport.class);

    enum Outcome { PASSED, FAILED, NOT_RUN }

    record Result(String scenario, Set<Capability> needs, Outcome outcome, String detail) {
    }

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
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, Outcome.PASSED, "");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).replace('\n', ' ').replace("|", "\\|");
        record(context, Outcome.FAILED, message.length() > 200 ? message.substring(0, 200) + "..." : message);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, Outcome.NOT_RUN, "capability not declared");
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, Outcome.NOT_RUN, reason.orElse("disabled"));
    }

    private static Set<Capability> needs(Method method) {
        Requires r = method.getAnnotation(Requires.class);
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        if (r != null) {
            set.addAll(List.of(r.value()));
        }
        return set;
    }

    @SuppressWarnings("unchecked")
    private static List<Result> results(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent("results", k -> new ArrayList<Result>(), List.class);
    }

    private static void record(ExtensionContext context, Outcome outcome, String detail) {
        Method m = context.getRequiredTestMethod();
        List<Result> results = results(context);
        synchronized (results) {
            results.add(new Result(m.getName(), needs(m), outcome, detail));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MessagingTck tck = (MessagingTck) context.getRequiredTestInstance();
        if (tck.client() == null) {
            return;
        }
        String name = tck.settings().reportName() != null ? tck.settings().reportName() : tck.client().provider();
        Path file = Path.of("target", "tck", name + ".md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, render(name, tck, results(context)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the capability report " + file, e);
        }
    }

    static String render(String name, MessagingTck tck, List<Result> results) {
        Capabilities caps = tck.client().capabilities();
        StringBuilder b = new StringBuilder();
        b.append("# Capability report: ").append(name).append("\n\n");
        b.append("- provider: `").append(tck.client().provider()).append("`\n");
        b.append("- guarantee: ").append(caps.guarantee()).append('\n');
        b.append("- max payload: ").append(caps.maxPayloadBytes()).append(" bytes\n");
        long passed = results.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
        long failed = results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
        long notRun = results.stream().filter(r -> r.outcome() == Outcome.NOT_RUN).count();
        b.append("- scenarios: ").append(passed).append(" passed, ").append(failed).append(" failed, ")
                .append(notRun).append(" not run (capability not declared)\n\n");

        b.append("| capability | declared | scenarios that need it | result |\n|---|---|---|---|\n");
        for (Capability c : Capability.values()) {
            List<Result> using = results.stream().filter(r -> r.needs().contains(c)).toList();
            String verdict;
            if (!caps.has(c) && !RefusalScenarios.REQUESTABLE.contains(c)) {
                verdict = "not declared (a property: nothing to ask for)";
            } else if (!caps.has(c)) {
                verdict = failedRefusal(results) ? "refusal FAILED" : "refused as required";
            } else if (using.isEmpty()) {
                verdict = "declared (no scenario needs it alone)";
            } else {
                verdict = using.stream().anyMatch(r -> r.outcome() == Outcome.FAILED) ? "FAILED" : "passed";
            }
            b.append("| ").append(c).append(" | ").append(caps.has(c) ? "yes" : "no").append(" | ")
                    .append(String.join(", ", using.stream().map(Result::scenario).toList())).append(" | ")
                    .append(verdict).append(" |\n");
        }
        b.append("\n| scenario | needs | result | detail |\n|---|---|---|---|\n");
        Map<String, Result> sorted = new TreeMap<>();
        results.forEach(r -> sorted.put(r.scenario(), r));
        for (Result r : sorted.values()) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.needs().isEmpty() ? "-" : r.needs().toString())
                    .append(" | ").append(r.outcome().name().toLowerCase().replace('_', ' ')).append(" | ")
                    .append(r.detail()).append(" |\n");
        }
        if (!tck.observations().isEmpty()) {
            b.append("\n## Observations\n\n");
            new TreeMap<>(tck.observations()).forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        return b.toString();
    }

    private static boolean failedRefusal(List<Result> results) {
        return results.stream().anyMatch(r -> r.scenario().equals("refusalsOfUndeclaredCapabilities") && r.outcome() == Outcome.FAILED);
    }
}
