package io.anymq.it;

import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The backends a drill runs, one dynamic test each: every one it knows, or those named by {@code -Ddrill.backends=a,b}. */
public final class DrillBackends {
    /** One backend's drill. */
    public interface Drill<B> {
        void run(String name, B backend) throws Exception;
    }

    private DrillBackends() {
    }

    /**
     * Where a drill's group starts: EARLIEST where the broker can replay, else LATEST (a group made before the
     * first send reads the same stream either way).
     */
    public static io.anymq.StartPosition earliestPossible(io.anymq.MessagingClient client) {
        return client.capabilities().has(io.anymq.Capability.REPLAY_FROM_EARLIEST) ? io.anymq.StartPosition.EARLIEST
                : io.anymq.StartPosition.LATEST;
    }

    /** Writes a drill's Markdown table to {@code target/drill/<file>}: the header's columns, a separator, the rows. */
    static void writeTable(String file, List<String> columns, List<String> rows) throws IOException {
        Path report = Path.of("target", "drill", file);
        Files.createDirectories(report.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("| " + String.join(" | ", columns) + " |");
        lines.add("|" + "---|".repeat(columns.size()));
        lines.addAll(rows);
        Files.write(report, lines, StandardCharsets.UTF_8);
    }

    public static <B> List<DynamicTest> tests(Map<String, B> known, Drill<B> drill) {
        List<DynamicTest> tests = new ArrayList<>();
        chosen(known).forEach((name, backend) -> tests.add(DynamicTest.dynamicTest(name, () -> drill.run(name, backend))));
        return tests;
    }

    /**
     * A broker's URL with a backend's options: {@code options} is a path and query ({@code /?queue-type=quorum},
     * {@code ?mode=list}); a broker URL that already has a query (RocketMQ's {@code ?namesrv=}) takes the query after '&'.
     */
    static String url(String base, String options) {
        if (options.isEmpty()) {
            return base;
        }
        return base.contains("?") && options.startsWith("?") ? base + "&" + options.substring(1) : base + options;
    }

    /** The backends {@code -Ddrill.backends} names, in its order (every one it knows when empty). */
    static <B> Map<String, B> chosen(Map<String, B> known) {
        String chosen = System.getProperty("drill.backends", "");
        List<String> names = chosen.isBlank() ? List.copyOf(known.keySet()) : List.of(chosen.split(","));
        Map<String, B> out = new LinkedHashMap<>();
        for (String raw : names) {
            String name = raw.trim();
            B backend = known.get(name);
            if (backend == null) {
                throw new IllegalArgumentException("unknown backend '" + name + "' in drill.backends; known: " + known.keySet());
            }
            out.put(name, backend);
        }
        return out;
    }
}
