package io.anymq.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** One row of a {@link SoakChild} CSV ({@link SoakChild#HEADER}). */
record SoakSample(long elapsedSeconds, long heapAfterGc, long threads, long fds, long rssKb, long sent, long confirmed,
                  long sendFailed, long received, long duplicates) {

    /** The highest value in the first third of the samples and in the last third. */
    record Thirds(long firstMax, long lastMax) {
    }

    static List<SoakSample> read(Path csv) throws IOException {
        List<SoakSample> out = new ArrayList<>();
        if (!Files.exists(csv)) {
            return out;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            long[] v = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                v[i] = Long.parseLong(f[i].trim());
            }
            out.add(new SoakSample(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
        }
        return out;
    }

    /** Compares the first third of {@code samples} (at least one) with the last third. */
    static Thirds thirds(List<SoakSample> samples, ToLongFunction<SoakSample> metric) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        int third = Math.max(1, samples.size() / 3);
        return new Thirds(max(samples.subList(0, third), metric), max(samples.subList(samples.size() - third, samples.size()), metric));
    }

    private static long max(List<SoakSample> samples, ToLongFunction<SoakSample> metric) {
        return samples.stream().mapToLong(metric).max().orElseThrow();
    }
}
