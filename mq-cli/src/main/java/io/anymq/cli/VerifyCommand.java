package io.anymq.cli;

import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.CapabilityVerdict;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckReport.ScenarioResult;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code mq verify URL}: runs the conformance suite against a broker through the installed provider. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run the anymq conformance suite (mq-tck) against the broker at URL and report, per capability,"
                + " whether it is declared, verified, refused as it should be, or failed.",
                "",
                "What it writes to the broker: topics and groups whose names start with the prefix"
                        + " (anymq-verify-<random>- unless --prefix is given), and messages in them (up to ~10,000 per"
                        + " scenario, payloads up to 1 MiB or the declared maximum). At the end it deletes every topic it"
                        + " made, with its groups, where the backend declares TOPIC_DELETION (not with --keep); the report"
                        + " and the summary list what stayed.",
                "",
                "It never touches the broker itself unless --faults names a broker it may restart and kill, or cut off behind a proxy (the fault"
                        + " scenarios: kill -9 and restart during a stream, graceful restart, connections cut). --stress adds"
                        + " the volume scenarios (thousands of messages, 50 producers and members, many nacks, members"
                        + " joining and leaving, per-key order across that churn where KEY_ORDERING is declared) and prints what"
                        + " they confirmed, lost and duplicated.",
                "",
                "--copies N runs N copies of the selected scenarios at once against the broker (each with its own clients and"
                        + " names, <prefix>c<i>-) and reports each copy apart: a broker or backend that mixes up concurrent users"
                        + " fails some copy.",
                "",
                "Where the backend declares TRANSACTIONS, two scenarios start a client of their own in a child JVM (java -cp"
                        + " with this one's class path, connecting to URL) and kill it (kill -9) before its commit;"
                        + " --no-child-processes leaves them out.",
                "",
                "Exit code: 0 when every selected scenario passed and every undeclared capability was refused;"
                        + " 1 when one failed or the suite could not run; 2 for a bad command line."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", arity = "0..1", description = "the broker and options, as Messaging.connect takes them")
    String url;

    @Option(names = "--only", split = ",", paramLabel = "SCENARIO", description = "run only these scenarios (names; * matches anything)")
    List<String> only = new ArrayList<>();

    @Option(names = "--skip", split = ",", paramLabel = "SCENARIO", description = "leave these scenarios out (names; * matches anything)")
    List<String> skip = new ArrayList<>();

    @Option(names = "--list", description = "list the scenarios and exit")
    boolean list;

    @Option(names = "--report", paramLabel = "FILE",
            description = "write the report here: JSON when FILE ends in .json, else Markdown (default: ${DEFAULT-VALUE})")
    Path report = Path.of("mq-verify-report.md");

    @Option(names = "--prefix", description = "the start of every topic and group name it makes (default: anymq-verify-<random>-)")
    String prefix;

    @Option(names = "--receive-timeout", description = "how long to wait for a message that must come (default: ${DEFAULT-VALUE})")
    String receiveTimeout = "10s";

    @Option(names = "--ack-timeout", description = "the ack timeout it asks for, at least the backend's declared minimum (default: ${DEFAULT-VALUE})")
    String ackTimeout = "2s";

    @Option(names = "--absence-wait", description = "how long to watch to show that a message does not come (default: ${DEFAULT-VALUE})")
    String absenceWait = "1s";

    @Option(names = "--faults", paramLabel = "BROKER",
            description = "allow the fault scenarios on this broker: a NAME of mq broker start (restart, kill), 'proxy:NAME' (that"
                    + " broker behind a TCP proxy that verify starts and the scenarios connect through: restart, kill, cut), or"
                    + " 'cmd:PROGRAM ARGS', called with restart, kill or cut SECONDS, that exits 0 when the broker accepts connections again")
    String faults;

    @Option(names = "--fault-kinds", split = ",", paramLabel = "KIND",
            description = "the faults the hook may cause: restart, kill, cut (default: restart,kill for a broker of mq broker start, all for proxy:NAME and a program)")
    List<String> faultKinds = new ArrayList<>();

    @Option(names = "--stress", description = "also run the stress scenarios and print their counts (confirmed, lost, duplicates)")
    boolean stress;

    @Option(names = "--keep", description = "do not delete the topics and groups it made")
    boolean keep;

    @Option(names = "--no-child-processes", description = "do not run the scenarios that start a client in a child JVM and kill it")
    boolean noChildProcesses;

    @Option(names = "--no-generated-ids", description = "the configuration keeps generated ids with the sender by design (core NATS'"
            + " send-generated-ids=false): the round trip asks only that a message sent without an id arrives named")
    boolean noGeneratedIds;

    @Option(names = "--copies", paramLabel = "N",
            description = "run N copies of the selected scenarios at once, each with its own clients and names (<prefix>c<i>-),"
                    + " and report each copy (not with --faults) (default: ${DEFAULT-VALUE})")
    int copies = 1;

    @Option(names = "--scale", description = "divide the big message counts by this, for slow brokers (default: ${DEFAULT-VALUE})")
    int scale = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            Verification.scenarioNames().forEach(out::println);
            return 0;
        }
        if (url == null) {
            throw new Main.UsageError("a URL is required (or --list)");
        }
        if (scale < 1) {
            throw new Main.UsageError("--scale must be at least 1: " + scale);
        }
        if (copies < 1) {
            throw new Main.UsageError("--copies must be at least 1: " + copies);
        }
        String namePrefix = prefix != null ? prefix
                : "anymq-verify-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1 | 1L << 62).substring(0, 8) + "-";
        TckSettings settings;
        Verification verification;
        Path scratch;
        io.anymq.tck.BrokerFaults hook = null;
        try {
            scratch = Files.createTempDirectory("mq-verify");
            settings = TckSettings.defaults().toBuilder()
                    .receiveTimeout(Durations.parse("--receive-timeout", receiveTimeout))
                    .ackTimeout(Durations.parse("--ack-timeout", ackTimeout))
                    .absenceWait(Durations.parse("--absence-wait", absenceWait))
                    .scale(scale).namePrefix(namePrefix).reportName("verify")
                    .stress(stress).deleteWhatItMade(!keep).childProcesses(!noChildProcesses)
                    .generatedIdsArrive(!noGeneratedIds).reportDirectory(scratch).build();
            if (faults != null) {
                hook = VerifyFaults.of(faults, url, faultKinds);
            } else if (!faultKinds.isEmpty()) {
                throw new Main.UsageError("--fault-kinds needs --faults");
            }
            Verification.Builder builder = Verification.builder(VerifyFaults.urlFor(hook, url)).settings(settings).only(only).skip(skip)
                    .listener(progress(err, "")).copies(copies);
            if (hook != null) {
                builder.faults(hook);
            }
            verification = builder.build();
        } catch (Main.UsageError e) {
            VerifyFaults.close(hook);
            throw e;
        } catch (IllegalArgumentException e) {
            VerifyFaults.close(hook);
            throw new Main.UsageError(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        err.println("verifying " + io.anymq.Redaction.url(VerifyFaults.urlFor(hook, url)) + " (names start with " + namePrefix + ")"
                + (faults != null ? "; fault scenarios allowed on " + faults : "") + (stress ? "; stress scenarios" : "")
                + (copies > 1 ? "; " + copies + " copies at once" : ""));
        long start = System.nanoTime();
        List<TckReport> results;
        try {
            results = verification.runCopies();
        } finally {
            VerifyFaults.close(hook);
            deleteQuietly(scratch);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        write(results, took);
        boolean passed = true;
        for (int i = 0; i < results.size(); i++) {
            TckReport result = results.get(i);
            if (results.size() > 1) {
                out.printf("%n== copy %d of %d (names start with %sc%d-) ==%n", i + 1, results.size(), namePrefix, i + 1);
            }
            summary(out, result, took, results.size() > 1 ? namePrefix + "c" + (i + 1) + "-" : namePrefix);
            passed &= result.passed();
        }
        if (results.size() > 1) {
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).passed()) {
                    failed.add(i + 1);
                }
            }
            out.println(failed.isEmpty() ? "every copy PASSED" : "copies FAILED: " + failed + " of " + results.size());
            out.flush();
        }
        return passed ? 0 : Main.FAILED;
    }

    /** The suite's own copy of the report goes to a scratch directory; the user's copy is --report. */
    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a scratch file left in the temp directory is harmless
        }
    }

    /** Progress on stderr; each copy (of --copies) gets one of its own, whose lines start with "copy N ". */
    private static Verification.Listener progress(PrintWriter err, String copy) {
        return new Verification.Listener() {
            private long started;

            @Override
            public void started(int n, int total, String scenario) {
                started = System.nanoTime();
                synchronized (err) {
                    err.printf("%s[%d/%d] %s ...%n", copy, n, total, scenario);
                    err.flush();
                }
            }

            @Override
            public void finished(String scenario, Outcome outcome, String detail) {
                String took = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
                synchronized (err) {
                    err.printf("%s        %s %s (%s)%s%n", copy, scenario, outcome.name().toLowerCase().replace('_', ' '), took,
                            outcome == Outcome.FAILED ? ": " + oneLine(detail) : "");
                    err.flush();
                }
            }

            @Override
            public Verification.Listener copy(int n) {
                return progress(err, "copy " + n + " ");
            }
        };
    }

    private void summary(PrintWriter out, TckReport r, Duration took, String namePrefix) {
        out.printf("%s: %d scenarios passed, %d failed, %d not run (capability not declared, or stress/fault scenarios not asked for), in %d s%n", r.provider(),
                r.count(Outcome.PASSED), r.count(Outcome.FAILED), r.count(Outcome.NOT_RUN), took.toSeconds());
        out.printf("%-22s %-8s %s%n", "capability", "declared", "result");
        for (CapabilityVerdict v : r.verdicts()) {
            out.printf("%-22s %-8s %s%n", v.capability(), v.declared() ? "yes" : "no", TckReport.describe(v.verdict()));
        }
        for (ScenarioResult s : r.scenarios()) {
            if (s.outcome() == Outcome.FAILED) {
                out.println("FAILED " + s.scenario() + ": " + oneLine(s.detail()));
            }
        }
        if (!r.tallies().isEmpty()) {
            out.printf("%-64s %8s %9s %8s %5s %10s%n", "counted", "sent", "confirmed", "received", "lost", "duplicates");
            for (TckReport.Tally t : r.tallies()) {
                out.printf("%-64s %8d %9d %8d %5d %10d%n", t.scenario(), t.sent(), t.confirmed(), t.received(), t.lost(), t.duplicates());
            }
        }
        out.printf("%d topic and group names made, all starting with %s; %d topics deleted with their groups, %d left%s; report: %s%n",
                r.names().size(), namePrefix, r.deleted().size(), keep ? r.names().size() : r.leftBehind().size(),
                keep ? " (--keep)" : "", report);
        if (!keep) {
            List<Map.Entry<String, String>> left = List.copyOf(new java.util.TreeMap<>(r.leftBehind()).entrySet());
            left.stream().limit(20).forEach(e -> out.println("left: " + e.getKey() + " (" + oneLine(e.getValue()) + ")"));
            if (left.size() > 20) {
                out.println("left: " + (left.size() - 20) + " more, listed in the report");
            }
        }
        out.println(r.passed() ? "PASSED" : "FAILED");
        out.flush();
    }

    /** One report; with several copies, Markdown has each copy's in turn, JSON {"copies":[...]} with one object each. */
    private void write(List<TckReport> reports, Duration took) {
        String text;
        if (report.toString().endsWith(".json")) {
            text = reports.size() == 1 ? json(reports.get(0), took)
                    : "{\"copies\":[" + String.join(",", reports.stream().map(r -> json(r, took).strip()).toList()) + "]}\n";
        } else {
            StringBuilder b = new StringBuilder();
            for (TckReport r : reports) {
                b.append(b.length() == 0 ? "" : "\n").append(r.toMarkdown());
            }
            text = b.append("\n- took: ").append(took.toSeconds()).append(" s\n").toString();
        }
        try {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report " + report + ": " + e.getMessage(), e);
        }
    }

    static String json(TckReport r, Duration took) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"provider\":").append(Json.string(r.provider()));
        b.append(",\"passed\":").append(r.passed());
        b.append(",\"seconds\":").append(took.toSeconds());
        b.append(",\"guarantee\":").append(Json.string(r.capabilities().guarantee().name()));
        b.append(",\"maxPayloadBytes\":").append(r.capabilities().maxPayloadBytes());
        b.append(",\"capabilities\":[");
        for (int i = 0; i < r.verdicts().size(); i++) {
            CapabilityVerdict v = r.verdicts().get(i);
            b.append(i == 0 ? "" : ",").append("{\"capability\":").append(Json.string(v.capability().name()))
                    .append(",\"declared\":").append(v.declared())
                    .append(",\"verdict\":").append(Json.string(v.verdict().name()))
                    .append(",\"scenarios\":").append(strings(v.scenarios())).append('}');
        }
        b.append("],\"scenarios\":[");
        for (int i = 0; i < r.scenarios().size(); i++) {
            ScenarioResult s = r.scenarios().get(i);
            b.append(i == 0 ? "" : ",").append("{\"scenario\":").append(Json.string(s.scenario()))
                    .append(",\"needs\":").append(strings(s.needs().stream().map(Enum::name).sorted().toList()))
                    .append(",\"outcome\":").append(Json.string(s.outcome().name()))
                    .append(",\"detail\":").append(Json.string(s.detail())).append('}');
        }
        b.append("],\"observations\":").append(object(r.observations()));
        b.append(",\"counts\":[");
        for (int i = 0; i < r.tallies().size(); i++) {
            TckReport.Tally t = r.tallies().get(i);
            b.append(i == 0 ? "" : ",").append("{\"scenario\":").append(Json.string(t.scenario())).append(",\"sent\":").append(t.sent())
                    .append(",\"confirmed\":").append(t.confirmed()).append(",\"received\":").append(t.received())
                    .append(",\"lost\":").append(t.lost()).append(",\"duplicates\":").append(t.duplicates()).append('}');
        }
        b.append("],\"names\":").append(strings(r.names()));
        b.append(",\"deleted\":").append(strings(r.deleted()));
        b.append(",\"left\":").append(object(r.leftBehind()));
        return b.append("}\n").toString();
    }

    /** A JSON object of strings, sorted by key. */
    private static String object(Map<String, String> values) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(values).entrySet()) {
            b.append(b.length() == 1 ? "" : ",").append(Json.string(e.getKey())).append(':').append(Json.string(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.string(values.get(i)));
        }
        return b.append(']').toString();
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replace('\n', ' ');
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
