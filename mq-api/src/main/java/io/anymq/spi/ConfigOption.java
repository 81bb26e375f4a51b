package io.anymq.spi;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One option a provider reads: its name, type, default and one line of documentation. A provider
 * declares each option once (a constant), reads it only through {@link #get(MessagingConfig)}, and
 * lists all of them in its {@link ConfigOptions}; the core then refuses every other option with a
 * {@link ConfigurationException} that lists these.
 *
 * <pre>{@code
 * static final ConfigOption<Integer> PARTITIONS =
 *         ConfigOption.intOption("partitions", 6, "partitions of a topic created on first use");
 * ...
 * int partitions = PARTITIONS.get(config);
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class ConfigOption<T> {
    private final String name;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String doc;
    private final Function<MessagingConfig, T> reader;

    private ConfigOption(String name, String type, T defaultValue, String defaultText, String doc,
                         Function<MessagingConfig, T> reader) {
        if (name == null || !name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("an option name is lower-case words joined by '-' or '.': " + name);
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.reader = reader;
    }

    /**
     * A whole-number option.
     *
     * @param name         the option's name
     * @param defaultValue its value when it is not set
     * @param doc          what it means, one line
     * @return the option
     */
    public static ConfigOption<Integer> intOption(String name, int defaultValue, String doc) {
        return new ConfigOption<>(name, "int", defaultValue, Integer.toString(defaultValue), doc,
                c -> c.getInt(name, defaultValue));
    }

    /**
     * A whole-number option with a larger range.
     *
     * @param name         the option's name
     * @param defaultValue its value when it is not set
     * @param doc          what it means, one line
     * @return the option
     */
    public static ConfigOption<Long> longOption(String name, long defaultValue, String doc) {
        return new ConfigOption<>(name, "long", defaultValue, Long.toString(defaultValue), doc,
                c -> c.getLong(name, defaultValue));
    }

    /**
     * A true/false option (see {@link MessagingConfig#getBoolean(String, boolean)} for the words).
     *
     * @param name         the option's name
     * @param defaultValue its value when it is not set
     * @param doc          what it means, one line
     * @return the option
     */
    public static ConfigOption<Boolean> booleanOption(String name, boolean defaultValue, String doc) {
        return new ConfigOption<>(name, "boolean", defaultValue, Boolean.toString(defaultValue), doc,
                c -> c.getBoolean(name, defaultValue));
    }

    /**
     * A duration option (see {@link MessagingConfig#getDuration(String, Duration)} for the forms).
     *
     * @param name         the option's name
     * @param defaultValue its value when it is not set
     * @param doc          what it means, one line
     * @return the option
     */
    public static ConfigOption<Duration> durationOption(String name, Duration defaultValue, String doc) {
        return new ConfigOption<>(name, "duration", defaultValue, format(defaultValue), doc,
                c -> c.getDuration(name, defaultValue));
    }

    /**
     * A text option.
     *
     * @param name         the option's name
     * @param defaultValue its value when it is not set, or null for none
     * @param defaultText  how the default reads in listings (for example {@code "broker default"})
     * @param doc          what it means, one line
     * @return the option
     */
    public static ConfigOption<String> stringOption(String name, String defaultValue, String defaultText, String doc) {
        return new ConfigOption<>(name, "string", defaultValue, defaultText, doc, c -> c.get(name, defaultValue));
    }

    /**
     * A choice among an enum's constants, written in lower case with {@code -} for {@code _}
     * (compared ignoring case).
     *
     * @param name         the option's name
     * @param type         the enum
     * @param defaultValue its value when it is not set
     * @param doc          what it means, one line
     * @param <E>          the enum type
     * @return the option
     */
    public static <E extends Enum<E>> ConfigOption<E> enumOption(String name, Class<E> type, E defaultValue, String doc) {
        String choices = Arrays.stream(type.getEnumConstants()).map(ConfigOption::choice).collect(Collectors.joining(", "));
        return new ConfigOption<>(name, "one of " + choices, defaultValue, defaultValue == null ? "none" : choice(defaultValue), doc,
                c -> c.getEnum(name, type, defaultValue));
    }

    /**
     * Reads the option's value from a configuration.
     *
     * @param config the configuration
     * @return its value, or the default when it is not set
     * @throws ConfigurationException the value does not parse as this option's type
     */
    public T get(MessagingConfig config) {
        return reader.apply(config);
    }

    /**
     * The option's name, as it is written in a URL's query or a configuration map.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The option's type, for listings: {@code int}, {@code long}, {@code boolean}, {@code duration},
     * {@code string} or {@code one of a, b, c}.
     *
     * @return the type's description
     */
    public String type() {
        return type;
    }

    /**
     * The value when the option is not set.
     *
     * @return the default, or null for none
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The default as it is written in a URL ({@code 30s}, {@code block}, {@code 100000}), or a
     * description where there is no value.
     *
     * @return the default's text
     */
    public String defaultText() {
        return defaultText;
    }

    /**
     * What the option means.
     *
     * @return one line
     */
    public String doc() {
        return doc;
    }

    @Override
    public String toString() {
        return name + " (" + type + ", default " + defaultText + "): " + doc;
    }

    private static String choice(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A duration in the shortest form the configuration reads back: 30s, 5m, 250ms. */
    static String format(Duration d) {
        if (d == null) {
            return "none";
        }
        long ms = d.toMillis();
        if (!d.equals(Duration.ofMillis(ms))) {
            return d.toString();
        }
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
