package io.anymq;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything a provider needs to connect: the URL and options. Immutable.
 *
 * <p>Options come from three places; a later one wins over an earlier one:
 * <ol>
 *   <li>the environment: {@code MQ_URL} gives the URL and every other {@code MQ_*} variable an
 *       option, named by lower-casing and turning {@code _} into {@code .}
 *       ({@code MQ_KAFKA_LINGER_MS} becomes {@code kafka.linger.ms});</li>
 *   <li>the URL's query ({@code kafka://h:9092?kafka.linger.ms=5});</li>
 *   <li>explicit options from a {@code Map} or {@code Properties} (key {@code url} for the URL).</li>
 * </ol>
 * Native client settings pass through under the backend's prefix: {@link #withPrefix(String)}.
 * {@link #toString()} hides passwords, tokens and other secrets.
 */
public final class MessagingConfig {
    /** The option key that holds the URL in a {@code Map} or {@code Properties}. */
    public static final String URL_KEY = "url";
    /** The environment variable with the URL. */
    public static final String ENV_URL = "MQ_URL";
    /** The prefix of environment variables that are options. */
    public static final String ENV_PREFIX = "MQ_";
    /** The URL used when nothing names one: the embedded in-memory backend. */
    public static final String DEFAULT_URL = "mem:";

    private final MqUrl url;
    private final Map<String, String> options;

    private MessagingConfig(MqUrl url, Map<String, String> options) {
        this.url = url;
        this.options = options;
    }

    /** The URL, with its query as options. */
    public static MessagingConfig of(String url) {
        return builder().url(url).build();
    }

    /** From a map with the URL under {@code url} and options under their names. */
    public static MessagingConfig from(Map<String, ?> map) {
        return builder().options(map).build();
    }

    /** From properties with the URL under {@code url} and options under their names. */
    public static MessagingConfig from(Properties properties) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            m.put(name, properties.getProperty(name));
        }
        return from(m);
    }

    /** From the process environment: {@code MQ_URL} (default {@code mem:}) and {@code MQ_*} options. */
    public static MessagingConfig fromEnvironment() {
        return builder().environment(System.getenv()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public MqUrl url() {
        return url;
    }

    /** The URL's scheme, which selects the provider. */
    public String scheme() {
        return url.scheme();
    }

    /** Every option, merged; unmodifiable. */
    public Map<String, String> options() {
        return options;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(options.get(key));
    }

    public String get(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "a whole number");
        }
    }

    public long getLong(String key, long defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "a whole number");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw bad(key, v, "true or false");
        }
    }

    /**
     * A duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, an ISO-8601
     * duration ({@code PT30S}), or a bare number of milliseconds.
     */
    public Duration getDuration(String key, Duration defaultValue) {
        String v = options.get(key);
        return v == null ? defaultValue : parseDuration(key, v);
    }

    /** A choice among the enum's constants, compared ignoring case; '-' matches '_'. */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type, E defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        String wanted = v.trim().replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() > 0 ? ", " : "").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw bad(key, v, "one of " + allowed);
    }

    static Duration parseDuration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.matches("[0-9]+")) {
                return Duration.ofMillis(Long.parseLong(v));
            }
            if (v.matches("[0-9]+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("[0-9]+[smhd]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // fall through to the error below
        }
        throw bad(key, value, "a duration such as 250ms, 30s, 5m or PT30S");
    }

    private static ConfigurationException bad(String key, String value, String expected) {
        return new ConfigurationException("option '" + key + "' has the value '" + Redaction.value(key, value)
                + "'; expected " + expected);
    }

    /**
     * The options under a prefix, with the prefix removed: {@code withPrefix("kafka.")} turns
     * {@code kafka.linger.ms=5} into {@code linger.ms=5}. For passing native settings through.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /** A copy with one option more (or replaced). */
    public MessagingConfig with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put(key, value);
        return new MessagingConfig(url, Collections.unmodifiableMap(m));
    }

    /** The URL and options, with secrets hidden. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MessagingConfig{url=").append(url).append(", options={");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(options).entrySet()) {
            b.append(first ? "" : ", ").append(e.getKey()).append('=').append(Redaction.value(e.getKey(), e.getValue()));
            first = false;
        }
        return b.append("}}").toString();
    }

    /** Assembles a configuration from the environment, a URL and explicit options; later calls win. */
    public static final class Builder {
        private String envUrl;
        private final Map<String, String> envOptions = new LinkedHashMap<>();
        private String url;
        private final Map<String, String> explicit = new LinkedHashMap<>();

        private Builder() {
        }

        /** Reads {@code MQ_URL} and {@code MQ_*} from this environment map (pass {@code System.getenv()}). */
        public Builder environment(Map<String, String> env) {
            env.forEach((name, value) -> {
                if (name.equals(ENV_URL)) {
                    envUrl = value;
                } else if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                    envOptions.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
                }
            });
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** An explicit option; {@code url} sets the URL. */
        public Builder option(String key, Object value) {
            if (key == null || key.isEmpty()) {
                throw new ConfigurationException("an option name may not be empty");
            }
            if (value == null) {
                throw new ConfigurationException("option '" + key + "' has no value");
            }
            if (key.equals(URL_KEY)) {
                url = value.toString();
            } else {
                explicit.put(key, value.toString());
            }
            return this;
        }

        public Builder options(Map<String, ?> options) {
            options.forEach(this::option);
            return this;
        }

        public MessagingConfig build() {
            String u = url != null ? url : envUrl != null ? envUrl : DEFAULT_URL;
            MqUrl parsed = MqUrl.parse(u);
            Map<String, String> merged = new LinkedHashMap<>(envOptions);
            merged.putAll(parsed.query());
            merged.putAll(explicit);
            return new MessagingConfig(parsed, Collections.unmodifiableMap(merged));
        }
    }
}
