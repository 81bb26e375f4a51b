package io.anymq.tck;

import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a backend's README says about its options, and what the backend declares, side by side: a module's
 * test asserts that the two are equal, so that the README's option table cannot drift from the
 * {@link ConfigOption} declarations the core checks URLs against.
 */
public final class OptionTables {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| ((?:`[^`]+`(?:, )?)+) \\|");
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    private OptionTables() {
    }

    /**
     * The option names in the first column of the Markdown tables of a README section: every name in
     * backticks there (a row may name several, separated by commas).
     *
     * @param readme      the README file
     * @param fromHeading the heading that starts the section, e.g. {@code "## URL and options"}
     * @param toHeading   the heading that follows it
     * @return the names, sorted
     */
    public static Set<String> documented(Path readme, String fromHeading, String toHeading) {
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = text.indexOf(fromHeading);
        int to = text.indexOf(toHeading, Math.max(0, from));
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException(readme + " has no section from '" + fromHeading + "' to '" + toHeading + "'");
        }
        Set<String> names = new TreeSet<>();
        Matcher row = ROW.matcher(text.substring(from, to));
        while (row.find()) {
            Matcher name = NAME.matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /**
     * The option names a backend declares, and each pass-through prefix followed by {@code wildcard} (as the
     * README writes it: {@code kafka.*}, {@code pulsar.<name>}).
     *
     * @param options  the backend's declarations
     * @param wildcard what follows a prefix in the README, e.g. {@code "*"}
     * @return the names, sorted
     */
    public static Set<String> declared(ConfigOptions options, String wildcard) {
        Set<String> names = new TreeSet<>();
        for (ConfigOption<?> o : options.options()) {
            names.add(o.name());
        }
        options.passThroughPrefixes().forEach(p -> names.add(p + wildcard));
        return names;
    }
}
