package io.anymq.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal table, the JSON file and the HTML chart of a benchmark. */
final class Reports {
    static final double[] PERCENTILES = {50, 95, 99, 99.9};

    private Reports() {
    }

    static void printTable(PrintStream out, String url, Workload w, List<RunResult> runs, Comparison comparison,
                           Map<String, Comparison> peers) {
        out.println();
        out.println("mq bench " + io.anymq.Redaction.url(url) + " — " + w.describe());
        out.println(String.format(Locale.ROOT, "%-30s %12s %8s %12s | %-40s | %-40s | %6s %6s %6s | %s",
                "run", "pub msg/s", "MB/s", "cons msg/s", "publish latency us: p50 p95 p99 p99.9 max",
                "end-to-end latency us: p50 p95 p99 p99.9 max", "dup", "redel", "lost", "cpu us/msg"));
        for (RunResult r : runs) {
            out.println(String.format(Locale.ROOT, "%-30s %,12.0f %8.1f %,12.0f | %-40s | %-40s | %6d %6d %6d | %.2f",
                    r.label(), r.publishRate(), r.publishMBps(), r.consumeRate(), percentiles(r.publishLatency()),
                    percentiles(r.endToEnd()), r.duplicates(), r.redeliveries(), r.lost(), r.cpuMicrosPerMessage()));
        }
        if (comparison != null && !comparison.comparable()) {
            out.println("ratio SDK/native: none: a run's producers did not keep the fixed rate (see the notes), so the rows "
                    + "count only part of what was sent; run at a rate both sides keep, or at the maximum rate");
        } else if (comparison != null) {
            out.println(String.format(Locale.ROOT,
                    "ratio SDK/native: throughput %.3f (target >= 0.97), publish p99 %.3f, end-to-end p99 %.3f (target <= 1.05),"
                            + " client CPU per message %.3f",
                    comparison.throughputRatio(), comparison.publishP99Ratio(), comparison.endToEndP99Ratio(),
                    comparison.cpuPerMessageRatio()));
        }
        peers.forEach((name, c) -> out.println(c.comparable()
                ? String.format(Locale.ROOT, "ratio %s/native: throughput %.3f, publish p99 %.3f, end-to-end p99 %.3f",
                        name, c.throughputRatio(), c.publishP99Ratio(), c.endToEndP99Ratio())
                : "ratio " + name + "/native: none: a run's producers did not keep the fixed rate (see the notes)"));
    }

    private static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (double p : PERCENTILES) {
            b.append(h.getValueAtPercentile(p)).append(' ');
        }
        return b.append(h.getMaxValue()).toString();
    }

    static void writeJson(Path file, String url, Workload w, List<RunResult> runs, Comparison comparison, List<String> notes,
                          Map<String, Comparison> peers) throws IOException {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"url\": ").append(str(io.anymq.Redaction.url(url))).append(",\n");
        b.append("  \"workload\": ").append(str(w.describe())).append(",\n");
        if (!w.name().isEmpty()) {
            b.append("  \"workloadName\": ").append(str(w.name())).append(",\n");
        }
        if (!notes.isEmpty()) {
            b.append("  \"notes\": [").append(String.join(", ", notes.stream().map(Reports::str).toList())).append("],\n");
        }
        b.append("  \"machine\": {\"cores\": ").append(Runtime.getRuntime().availableProcessors())
                .append(", \"java\": ").append(str(System.getProperty("java.version"))).append("},\n");
        b.append("  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            b.append("    {\"label\": ").append(str(r.label())).append(", \"target\": ").append(str(r.target()))
                    .append(String.format(Locale.ROOT, ", \"publishRate\": %.1f, \"publishMBps\": %.3f, \"consumeRate\": %.1f",
                            r.publishRate(), r.publishMBps(), r.consumeRate()))
                    .append(", \"confirmed\": ").append(r.confirmed()).append(", \"received\": ").append(r.received())
                    .append(", \"duplicates\": ").append(r.duplicates()).append(", \"redeliveries\": ").append(r.redeliveries())
                    .append(", \"lost\": ").append(r.lost()).append(", \"failures\": ").append(r.failures())
                    .append(", \"behindScheduleMillis\": ").append(r.behind().toMillis())
                    .append(", \"keptTheRate\": ").append(r.keptTheRate())
                    .append(Double.isNaN(r.cpuMicrosPerMessage()) ? ""
                            : String.format(Locale.ROOT, ", \"cpuMicrosPerMessage\": %.3f", r.cpuMicrosPerMessage()))
                    .append(", \"publishLatencyMicros\": ").append(histogramJson(r.publishLatency()))
                    .append(", \"endToEndLatencyMicros\": ").append(histogramJson(r.endToEnd())).append("}")
                    .append(i + 1 < runs.size() ? ",\n" : "\n");
        }
        b.append("  ]");
        if (comparison != null) {
            b.append(",\n  \"ratios\": ").append(ratiosJson(comparison));
        }
        if (!peers.isEmpty()) {
            List<String> entries = new ArrayList<>();
            peers.forEach((name, c) -> entries.add(str(name) + ": " + ratiosJson(c)));
            b.append(",\n  \"peerRatios\": {").append(String.join(", ", entries)).append("}");
        }
        b.append("\n}\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static String ratiosJson(Comparison c) {
        double cpuRatio = c.cpuPerMessageRatio();
        return String.format(Locale.ROOT, "{\"throughput\": %.4f, \"publishP99\": %.4f, \"endToEndP99\": %.4f%s, \"comparable\": %b}",
                c.throughputRatio(), c.publishP99Ratio(), c.endToEndP99Ratio(),
                Double.isNaN(cpuRatio) ? "" : String.format(Locale.ROOT, ", \"cpuPerMessage\": %.4f", cpuRatio), c.comparable());
    }

    private static String histogramJson(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "null";
        }
        StringBuilder b = new StringBuilder("{");
        for (double p : PERCENTILES) {
            b.append(String.format(Locale.ROOT, "\"p%s\": %d, ", trim(p), h.getValueAtPercentile(p)));
        }
        return b.append("\"max\": ").append(h.getMaxValue()).append(", \"count\": ").append(h.getTotalCount()).append("}").toString();
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * An HTML page with an SVG chart per latency kind: latency (log scale) against percentile
     * (x = log10 of 1/(1-p), from 0% to 99.99%), one line per run.
     */
    static void writeChart(Path file, String fullUrl, Workload w, List<RunResult> runs) throws IOException {
        String url = io.anymq.Redaction.url(fullUrl);
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>mq bench ").append(esc(url)).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:20px} svg{background:#fff;border:1px solid #ccc}</style>")
                .append("</head><body><h1>mq bench ").append(esc(url)).append("</h1><p>").append(esc(w.describe())).append("</p>");
        b.append(svg("Publish latency (µs)", runs, true));
        b.append(svg("End-to-end latency (µs)", runs, false));
        b.append("</body></html>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

    private static String svg(String title, List<RunResult> runs, boolean publish) {
        int width = 820, height = 420, left = 70, right = 180, top = 40, bottom = 50;
        double maxX = 4; // 99.99%
        long maxValue = 1;
        for (RunResult r : runs) {
            Histogram h = publish ? r.publishLatency() : r.endToEnd();
            maxValue = Math.max(maxValue, h.getMaxValue());
        }
        double maxY = Math.ceil(Math.log10(Math.max(10, maxValue)));
        double plotW = width - left - right, plotH = height - top - bottom;
        StringBuilder s = new StringBuilder();
        s.append("<h2>").append(esc(title)).append("</h2>");
        s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", width, height));
        // axes and grid
        String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i <= 4; i++) {
            double x = left + plotW * i / maxX;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", x, top, x, top + plotH));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%s</text>", x, top + plotH + 18, xLabels[i]));
        }
        for (int e = 0; e <= maxY; e++) {
            double y = top + plotH - plotH * e / maxY;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", left, y, left + plotW, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>", left - 6, y + 4,
                    e < 3 ? Long.toString((long) Math.pow(10, e)) + "µs" : e < 6 ? (long) Math.pow(10, e - 3) + "ms" : (long) Math.pow(10, e - 6) + "s"));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">percentile</text>", left + plotW / 2, height - 8));
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            Histogram h = publish ? r.publishLatency() : r.endToEnd();
            String color = COLORS[i % COLORS.length];
            if (h.getTotalCount() > 0) {
                List<String> points = new ArrayList<>();
                for (int k = 0; k <= 200; k++) {
                    double xv = maxX * k / 200.0;
                    double pct = 100.0 * (1 - Math.pow(10, -xv));
                    long v = Math.max(1, h.getValueAtPercentile(Math.min(pct, 100.0)));
                    double x = left + plotW * xv / maxX;
                    double y = top + plotH - plotH * Math.min(maxY, Math.log10(v)) / maxY;
                    points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                }
                s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
                        .append(String.join(" ", points)).append("\"/>");
            }
            double ly = top + 16 + i * 18;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"3\" fill=\"%s\"/>", left + plotW + 12, ly - 4, color));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s</text>", left + plotW + 30, ly, esc(r.label())));
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
