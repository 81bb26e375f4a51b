package io.anymq.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** A line chart of one metric over time, one line per backend, as a hand-written SVG (no dependency). */
final class SoakChart {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#7b4173", "#e7ba52", "#3182bd"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 60;
    private static final int RIGHT = 170;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;

    private SoakChart() {
    }

    static void write(Path file, String title, Map<String, List<SoakSample>> series, ToDoubleFunction<SoakSample> metric)
            throws IOException {
        double maxX = 1;
        double maxY = 1;
        for (List<SoakSample> samples : series.values()) {
            for (SoakSample s : samples) {
                maxX = Math.max(maxX, s.elapsedSeconds() / 60.0);
                maxY = Math.max(maxY, metric.applyAsDouble(s));
            }
        }
        maxY = niceCeiling(maxY * 1.05);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(LEFT, 22, escape(title), "font-size=\"15\" font-weight=\"bold\""));
        for (int i = 0; i <= 5; i++) {
            double v = maxY * i / 5;
            double y = TOP + plotH - plotH * i / 5;
            svg.append(line(LEFT, y, LEFT + plotW, y, "#ddd"));
            svg.append(text(LEFT - 6, y + 4, format(v), "text-anchor=\"end\""));
            double minute = maxX * i / 5;
            double x = LEFT + plotW * i / 5;
            svg.append(line(x, TOP, x, TOP + plotH, "#eee"));
            svg.append(text(x, TOP + plotH + 16, format(minute), "text-anchor=\"middle\""));
        }
        svg.append(text(LEFT + plotW / 2, HEIGHT - 8, "minutes", "text-anchor=\"middle\""));
        svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333"));
        svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333"));
        int n = 0;
        for (Map.Entry<String, List<SoakSample>> e : series.entrySet()) {
            String colour = COLOURS[n % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (SoakSample s : e.getValue()) {
                double x = LEFT + plotW * (s.elapsedSeconds() / 60.0) / maxX;
                double y = TOP + plotH - plotH * metric.applyAsDouble(s) / maxY;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
            double ly = TOP + 8 + n * 18;
            svg.append(line(WIDTH - RIGHT + 12, ly - 4, WIDTH - RIGHT + 32, ly - 4, colour));
            svg.append(text(WIDTH - RIGHT + 38, ly, escape(e.getKey()), ""));
            n++;
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String content, String attributes) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes, content);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
