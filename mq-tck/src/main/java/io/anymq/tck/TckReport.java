package io.anymq.tck;

import io.anymq.Capabilities;
import io.anymq.Capability;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outcome of one run of the suite against one backend: a verdict per capability, a result per
 * scenario, what the suite observed, and every topic and group name it made.
 *
 * @param name         the report's name (the settings' report name, else the provider's)
 * @param provider     the provider under test
 * @param capabilities what the backend declares
 * @param verdicts     one per {@link Capability}, in enum order
 * @param scenarios    one per scenario that was selected, sorted by name
 * @param observations what the scenarios recorded (duplicates seen, how work was shared), by scenario
 * @param names        the topic and group names the run made, sorted
 * @param tallies      what the volume and fault scenarios counted, in the order they ran
 * @param deleted      the topics deleted (with their groups) after the last scenario, sorted; empty unless
 *                     {@link TckSettings#deleteWhatItMade()}
 * @param leftBehind   the topics made but not deleted, with why (deletion not asked for, not declared, or failed)
 */
public record TckReport(String name, String provider, Capabilities capabilities, List<CapabilityVerdict> verdicts,
                        List<ScenarioResult> scenarios, Map<String, String> observations, List<String> names,
                        List<Tally> tallies, List<String> deleted, Map<String, String> leftBehind) {

    public TckReport {
        verdicts = List.copyOf(verdicts);
        scenarios = List.copyOf(scenarios);
        observations = Map.copyOf(observations);
        names = List.copyOf(names);
        tallies = List.copyOf(tallies);
        deleted = List.copyOf(deleted);
        leftBehind = Map.copyOf(leftBehind);
    }

    /**
     * What a volume or fault scenario counted, by message id.
     *
     * @param scenario   the scenario
     * @param sent       sends attempted
     * @param confirmed  sends the broker confirmed
     * @param received   distinct messages received
     * @param lost       confirmed messages that never arrived (must be 0 where the backend is at-least-once)
     * @param duplicates deliveries beyond the first of a message (redeliveries the scenario asked for not counted)
     */
    public record Tally(String scenario, long sent, long confirmed, long received, long lost, long duplicates) {
        @Override
        public String toString() {
            return sent + " sent, " + confirmed + " confirmed, " + received + " received, " + lost + " lost, " + duplicates + " duplicates";
        }
    }

    /** How a scenario ended. */
    public enum Outcome { PASSED, FAILED, NOT_RUN }

    /** What the run shows about one capability. */
    public enum Verdict {
        /** Declared, and every scenario that needs it passed. */
        PASSED,
        /** Declared, and a scenario that needs it failed. */
        FAILED,
        /** Not declared, and asking for it was refused with {@code UnsupportedCapabilityException}. */
        REFUSED_AS_REQUIRED,
        /** Not declared, but asking for it was not refused as the contract requires. */
        REFUSAL_FAILED,
        /** Declared; no scenario needs it alone (the scenarios exercise it along with others). */
        DECLARED_NOT_TESTED_ALONE,
        /** Not declared, and a property the suite observes rather than something a user asks for. */
        NOT_DECLARED_PROPERTY,
        /** The scenarios that would show it were not selected in this run, or did not run (stress or fault scenarios without their mode). */
        NOT_VERIFIED;

        /** True for the verdicts that break the contract. */
        public boolean failed() {
            return this == FAILED || this == REFUSAL_FAILED;
        }
    }

    /** One scenario's result. */
    public record ScenarioResult(String scenario, Set<Capability> needs, Outcome outcome, String detail) {
        public ScenarioResult {
            needs = Set.copyOf(needs);
        }
    }

    /** One capability's verdict, with the scenarios of this run that need it. */
    public record CapabilityVerdict(Capability capability, boolean declared, List<String> scenarios, Verdict verdict) {
        public CapabilityVerdict {
            scenarios = List.copyOf(scenarios);
        }
    }

    /** True when no scenario failed and no capability verdict breaks the contract. */
    public boolean passed() {
        return scenarios.stream().noneMatch(s -> s.outcome() == Outcome.FAILED) && verdicts.stream().noneMatch(v -> v.verdict().failed());
    }

    public long count(Outcome outcome) {
        return scenarios.stream().filter(s -> s.outcome() == outcome).count();
    }

    /** The report as Markdown: a summary, the capability table, the scenario table, observations, names made. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Capability report: ").append(name).append("\n\n");
        b.append("- provider: `").append(provider).append("`\n");
        b.append("- guarantee: ").append(capabilities.guarantee()).append('\n');
        b.append("- max payload: ").append(capabilities.maxPayloadBytes()).append(" bytes\n");
        if (!capabilities.minimumAckTimeout().isZero()) {
            b.append("- minimum ack timeout: ").append(capabilities.minimumAckTimeout()).append('\n');
        }
        if (!capabilities.maximumNackDelay().equals(io.anymq.Delivery.MAX_NACK_DELAY)) {
            b.append("- maximum nack delay: ").append(capabilities.maximumNackDelay()).append('\n');
        }
        b.append("- ack-timeout redelivery: ").append(capabilities.ackTimeoutRedelivery()).append('\n');
        b.append("- scenarios: ").append(count(Outcome.PASSED)).append(" passed, ").append(count(Outcome.FAILED)).append(" failed, ")
                .append(count(Outcome.NOT_RUN)).append(" not run (capability not declared, or a stress or fault scenario outside its mode)\n\n");

        b.append("| capability | declared | scenarios that need it | result |\n|---|---|---|---|\n");
        for (CapabilityVerdict v : verdicts) {
            b.append("| ").append(v.capability()).append(" | ").append(v.declared() ? "yes" : "no").append(" | ")
                    .append(String.join(", ", v.scenarios())).append(" | ").append(describe(v.verdict())).append(" |\n");
        }
        b.append("\n| scenario | needs | result | detail |\n|---|---|---|---|\n");
        for (ScenarioResult r : scenarios) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.needs().isEmpty() ? "-" : new java.util.TreeSet<>(r.needs()).toString())
                    .append(" | ").append(r.outcome().name().toLowerCase().replace('_', ' ')).append(" | ")
                    .append(r.detail().replace("|", "\\|")).append(" |\n");
        }
        if (!observations.isEmpty()) {
            b.append("\n## Observations\n\n");
            new TreeMap<>(observations).forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        if (!tallies.isEmpty()) {
            b.append("\n## Counts\n\n| scenario | sent | confirmed | received | lost | duplicates |\n|---|---|---|---|---|---|\n");
            for (Tally t : tallies) {
                b.append("| ").append(t.scenario()).append(" | ").append(t.sent()).append(" | ").append(t.confirmed()).append(" | ")
                        .append(t.received()).append(" | ").append(t.lost()).append(" | ").append(t.duplicates()).append(" |\n");
            }
        }
        if (!names.isEmpty()) {
            b.append("\n## Names made\n\n").append(names.size()).append(" topic and group names; ").append(deleted.size())
                    .append(" topics deleted with their groups afterwards, ").append(leftBehind.size()).append(" left on the broker:\n\n");
            names.forEach(n -> b.append("- `").append(n).append('`').append(deleted.contains(n) ? " (deleted)" : "")
                    .append(leftBehind.containsKey(n) ? " (left: " + leftBehind.get(n).replace('\n', ' ') + ")" : "").append('\n'));
        }
        return b.toString();
    }

    /** The words the Markdown report uses for a verdict. */
    public static String describe(Verdict verdict) {
        return switch (verdict) {
            case PASSED -> "passed";
            case FAILED -> "FAILED";
            case REFUSED_AS_REQUIRED -> "refused as required";
            case REFUSAL_FAILED -> "refusal FAILED";
            case DECLARED_NOT_TESTED_ALONE -> "declared (no scenario needs it alone)";
            case NOT_DECLARED_PROPERTY -> "not declared (a property: nothing to ask for)";
            case NOT_VERIFIED -> "not verified (its scenarios were not selected, or not run: stress or fault scenarios)";
        };
    }
}
