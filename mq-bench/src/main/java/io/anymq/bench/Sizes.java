package io.anymq.bench;

import io.anymq.ConfigurationException;

import java.time.Duration;
import java.util.Locale;

/** Parses sizes ({@code 1024}, {@code 1KiB}, {@code 1kb}, {@code 1m}) and durations ({@code 500ms}, {@code 10s}, {@code 2m}). */
final class Sizes {
    private Sizes() {
    }

    static long parseBytes(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (v.endsWith("k")) {
            unit = 1024;
        } else if (v.endsWith("m")) {
            unit = 1024 * 1024;
        }
        if (unit > 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v.strip()) * unit;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("not a size: '" + text + "' (expected e.g. 1024, 1KiB, 1MiB)");
        }
    }

    static Duration parseDuration(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("not a duration: '" + text + "' (expected e.g. 500ms, 10s, 2m)");
        }
    }
}
