package io.anymq.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every option a provider reads, declared once ({@link MessagingProvider#configOptions()}), plus the
 * prefixes under which native client settings pass through unchecked ({@code kafka.*}). Before a
 * provider connects, the core refuses every other option, from the URL, the options or the
 * environment, with a {@link io.anymq.ConfigurationException} that names it and lists these.
 * Immutable.
 *
 * <p>Environment variables map onto declared names by one rule: {@code MQ_} is dropped, and the
 * rest matches the declared option whose name, upper-cased with every {@code -} and {@code .}
 * turned into {@code _}, is the same ({@code MQ_CONNECT_TIMEOUT} sets {@code connect-timeout},
 * {@code MQ_TLS_TRUSTSTORE_PASSWORD} sets {@code tls.truststore-password}). Under a pass-through
 * prefix every {@code _} becomes {@code .} ({@code MQ_KAFKA_LINGER_MS} sets {@code kafka.linger.ms}).
 */
public final class ConfigOptions {
    private static final ConfigOptions UNDECLARED = new ConfigOptions(Map.of(), List.of(), false);

    private final Map<String, ConfigOption<?>> byName;
    private final Map<String, ConfigOption<?>> byEnvironmentName;
    private final List<String> passThroughPrefixes;
    private final boolean declared;

    private ConfigOptions(Map<String, ConfigOption<?>> byName, List<String> passThroughPrefixes, boolean declared) {
        this.byName = byName;
        this.passThroughPrefixes = passThroughPrefixes;
        this.declared = declared;
        Map<String, ConfigOption<?>> env = new HashMap<>();
        for (ConfigOption<?> o : byName.values()) {
            ConfigOption<?> clash = env.put(environmentName(o.name()), o);
            if (clash != null) {
                throw new IllegalArgumentException("options '" + clash.name() + "' and '" + o.name()
                        + "' have the same environment variable MQ_" + environmentName(o.name()));
            }
        }
        this.byEnvironmentName = Collections.unmodifiableMap(env);
    }

    /**
     * The declaration of these options and no pass-through prefix.
     *
     * @param options every option the provider reads
     * @return the declaration
     * @throws IllegalArgumentException two options have the same name or environment variable
     */
    public static ConfigOptions of(ConfigOption<?>... options) {
        return of(List.of(options), List.of());
    }

    /**
     * The declaration of these options and pass-through prefixes.
     *
     * @param options             every option the provider reads
     * @param passThroughPrefixes prefixes (ending in {@code .}) under which any name is accepted
     *                            and handed to the native client, such as {@code kafka.}
     * @return the declaration
     * @throws IllegalArgumentException two options have the same name or environment variable, or
     *                                  a prefix does not end in {@code .}
     */
    public static ConfigOptions of(List<ConfigOption<?>> options, List<String> passThroughPrefixes) {
        Map<String, ConfigOption<?>> m = new TreeMap<>();
        for (ConfigOption<?> o : options) {
            if (m.put(o.name(), o) != null) {
                throw new IllegalArgumentException("option '" + o.name() + "' is declared twice");
            }
        }
        for (String p : passThroughPrefixes) {
            if (!p.endsWith(".") || p.length() < 2) {
                throw new IllegalArgumentException("a pass-through prefix ends in '.': " + p);
            }
        }
        return new ConfigOptions(Collections.unmodifiableMap(m), List.copyOf(passThroughPrefixes), true);
    }

    /**
     * What a provider that declares nothing has: then the core checks no option (the state of a
     * provider written before declarations existed).
     *
     * @return the undeclared marker
     */
    public static ConfigOptions undeclared() {
        return UNDECLARED;
    }

    /**
     * Whether the provider declared its options (and unknown ones are therefore refused).
     *
     * @return false only for {@link #undeclared()}
     */
    public boolean isDeclared() {
        return declared;
    }

    /**
     * The declared options, sorted by name.
     *
     * @return an unmodifiable list
     */
    public List<ConfigOption<?>> options() {
        return List.copyOf(byName.values());
    }

    /**
     * The pass-through prefixes.
     *
     * @return an unmodifiable list, such as {@code [kafka.]}
     */
    public List<String> passThroughPrefixes() {
        return passThroughPrefixes;
    }

    /**
     * The declared option of this name.
     *
     * @param name an option name
     * @return the option, or empty
     */
    public Optional<ConfigOption<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Whether a name is accepted: declared, or under a pass-through prefix.
     *
     * @param name an option name
     * @return true when accepted
     */
    public boolean accepts(String name) {
        return !declared || byName.containsKey(name) || passThroughPrefix(name).isPresent();
    }

    /**
     * The pass-through prefix a name is under.
     *
     * @param name an option name
     * @return the prefix, or empty
     */
    public Optional<String> passThroughPrefix(String name) {
        for (String p : passThroughPrefixes) {
            if (name.startsWith(p) && name.length() > p.length()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The option an environment variable sets, by the rule in the class description.
     *
     * @param variable the variable's name without {@code MQ_}, such as {@code CONNECT_TIMEOUT}
     * @return the option's name ({@code connect-timeout}, {@code kafka.linger.ms}), or empty when
     *         the variable names no declared option and no pass-through prefix
     */
    public Optional<String> optionForEnvironment(String variable) {
        String v = variable.toUpperCase(Locale.ROOT);
        ConfigOption<?> o = byEnvironmentName.get(v);
        if (o != null) {
            return Optional.of(o.name());
        }
        String dotted = v.toLowerCase(Locale.ROOT).replace('_', '.');
        return passThroughPrefix(dotted).map(p -> dotted);
    }

    /**
     * The declared name nearest to a misspelled one (at most two edits away), for "did you mean".
     *
     * @param name an unknown name
     * @return the nearest declared name, or empty
     */
    public Optional<String> nearest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String known : byName.keySet()) {
            int d = distance(name, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The accepted names for an error message: {@code block-timeout, capacity} and, with prefixes,
     * {@code and any name under kafka.}.
     *
     * @return one line
     */
    public String describe() {
        StringBuilder b = new StringBuilder(byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet()));
        if (!passThroughPrefixes.isEmpty()) {
            b.append("; and any name under ").append(String.join(" or ", passThroughPrefixes));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return declared ? "ConfigOptions[" + describe() + "]" : "ConfigOptions[undeclared]";
    }

    static String environmentName(String option) {
        return option.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * The unknown names among these, in order.
     *
     * @param names option names
     * @return those not accepted
     */
    public List<String> unknown(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!accepts(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
