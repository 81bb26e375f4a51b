package io.anymq;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import io.anymq.spi.ConfigOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a provider needs to connect: the URL and options. Immutable.
 *
 * <p>Options come from three places; a later one wins over an earlier one:
 * <ol>
 *   <li>the environment: {@code MQ_URL} gives the URL and every other {@code MQ_*} variable an
 *       option (except {@code MQ_JAVA_OPTS} and {@code MQ_IT_*}, which belong to the tools). For
 *       a provider that declares its options ({@link io.anymq.spi.ConfigOptions}) the variable
 *       sets the declared option whose name, upper-cased with {@code -} and {@code .} turned into
 *       {@code _}, matches ({@code MQ_CONNECT_TIMEOUT} sets {@code connect-timeout}), and under a
 *       pass-through prefix {@code _} becomes {@code .} ({@code MQ_KAFKA_LINGER_MS} sets
 *       {@code kafka.linger.ms}); for other providers the name is lower-cased with {@code _}
 *       turned into {@code .};</li>
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
    /** Variables under {@code MQ_} that are never options: they belong to the launcher and the tests. */
    private static final Set<String> ENV_NOT_OPTIONS = Set.of(ENV_URL, "MQ_JAVA_OPTS");
    private static final String ENV_TESTS_PREFIX = "MQ_IT_";

    private final MqUrl url;
    private final Map<String, String> options;
    /** Option name to the environment variable that set it, for options whose value came from there. */
    private final Map<String, String> fromEnvironment;
    /** Names of options whose value came from the URL's query. */
    private final Set<String> fromUrl;
    /** The interceptors a client made from this configuration runs, in order. */
    private final List<MessagingInterceptor> interceptors;

    private MessagingConfig(MqUrl url, Map<String, String> options, Map<String, String> fromEnvironment, Set<String> fromUrl,
                            List<MessagingInterceptor> interceptors) {
        this.url = url;
        this.options = options;
        this.fromEnvironment = fromEnvironment;
        this.fromUrl = fromUrl;
        this.interceptors = interceptors;
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

    /**
     * A builder that starts empty: no environment, no URL (then {@code mem:}), no options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The parsed URL.
     *
     * @return the URL; its query options are also in {@link #options()}
     */
    public MqUrl url() {
        return url;
    }

    /** The URL's scheme, which selects the provider. */
    public String scheme() {
        return url.scheme();
    }

    /**
     * The interceptors a client connected with this configuration runs, in installation order.
     *
     * @return an unmodifiable list, empty when none was added
     */
    public List<MessagingInterceptor> interceptors() {
        return interceptors;
    }

    /** Every option, merged; unmodifiable. */
    public Map<String, String> options() {
        return options;
    }

    /**
     * An option's text.
     *
     * @param key the option's name
     * @return its value, or empty when it is not set
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /**
     * An option's text, or a default.
     *
     * @param key          the option's name
     * @param defaultValue the value when it is not set
     * @return its value, or the default
     */
    public String get(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    /**
     * A whole-number option.
     *
     * @param key          the option's name
     * @param defaultValue the value when it is not set
     * @return its value, or the default
     * @throws ConfigurationException the value is not an {@code int}
     */
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

    /**
     * A whole-number option.
     *
     * @param key          the option's name
     * @param defaultValue the value when it is not set
     * @return its value, or the default
     * @throws ConfigurationException the value is not a {@code long}
     */
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

    /**
     * A true/false option: {@code true}, {@code yes}, {@code on}, {@code 1} or {@code false},
     * {@code no}, {@code off}, {@code 0}, in any case.
     *
     * @param key          the option's name
     * @param defaultValue the value when it is not set
     * @return its value, or the default
     * @throws ConfigurationException the value is none of those
     */
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

    /**
     * The longest duration an option may name: 100 years (36,500 days). Longer ones (and negative ones) are refused, so
     * that no backend's arithmetic in nanoseconds (292 years at most) overflows on a value written as "forever"; modules
     * with durations of their own (the bridge's timeouts) hold them to the same bound.
     */
    public static final Duration MAX_OPTION_DURATION = Duration.ofDays(36_500);

    static Duration parseDuration(String key, String value) {
        Duration d = parseDurationText(value);
        if (d == null) {
            throw bad(key, value, "a duration such as 250ms, 30s, 5m or PT30S");
        }
        if (d.isNegative() || d.compareTo(MAX_OPTION_DURATION) > 0) {
            throw bad(key, value, "a duration from 0 to 36500d (100 years)");
        }
        return d;
    }

    /** The duration the text names, or null when it names none. */
    private static Duration parseDurationText(String value) {
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
            return null;
        }
        return null;
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
        Map<String, String> env = new LinkedHashMap<>(fromEnvironment);
        env.remove(key);
        return new MessagingConfig(url, Collections.unmodifiableMap(m), Collections.unmodifiableMap(env),
                fromUrl.contains(key) ? without(fromUrl, key) : fromUrl, interceptors);
    }

    private static Set<String> without(Set<String> set, String key) {
        HashSet<String> copy = new HashSet<>(set);
        copy.remove(key);
        return Set.copyOf(copy);
    }

    /**
     * Where an option's value came from, for error messages.
     *
     * @param key the option's name
     * @return {@code the URL}, {@code environment variable MQ_...} or {@code the options}; empty
     *         when the option is not set
     */
    public Optional<String> origin(String key) {
        if (!options.containsKey(key)) {
            return Optional.empty();
        }
        String variable = fromEnvironment.get(key);
        if (variable != null) {
            return Optional.of("environment variable " + variable);
        }
        return Optional.of(fromUrl.contains(key) ? "the URL" : "the options");
    }

    /**
     * This configuration checked against a provider's declared options: environment variables are
     * mapped onto the declared names, and every option neither declared nor under a pass-through
     * prefix is refused. A provider that declares nothing gets the configuration as it is.
     */
    MessagingConfig checkedAgainst(String provider, ConfigOptions declared) {
        if (!declared.isDeclared()) {
            return this;
        }
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        // first what the URL and the options set; then the environment, where nothing above set the same option
        options.forEach((key, value) -> {
            if (fromEnvironment.containsKey(key)) {
                return;
            }
            if (declared.accepts(key)) {
                m.put(key, value);
            } else {
                unknown.add(key);
            }
        });
        fromEnvironment.forEach((key, variable) -> {
            Optional<String> name = declared.optionForEnvironment(variable.substring(ENV_PREFIX.length()));
            if (name.isEmpty()) {
                unknown.add(key);
            } else if (!m.containsKey(name.get())) {
                m.put(name.get(), options.get(key));
                env.put(name.get(), variable);
            }
        });
        if (!unknown.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String key : unknown) {
                b.append(b.length() == 0 ? "" : "; ").append("unknown option '").append(key).append("' (from ")
                        .append(origin(key).orElse("the options")).append(')');
                declared.nearest(key).ifPresent(n -> b.append(": did you mean '").append(n).append("'?"));
            }
            b.append(b.charAt(b.length() - 1) == '?' ? " " : ". ").append("The options of the ").append(provider)
                    .append(" provider are: ").append(declared.describe());
            throw new ConfigurationException(b.toString());
        }
        Set<String> url2 = new HashSet<>(fromUrl);
        url2.retainAll(m.keySet());
        return new MessagingConfig(url, Collections.unmodifiableMap(m), Collections.unmodifiableMap(env), Set.copyOf(url2),
                interceptors);
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
        private final Map<String, String> envVariables = new LinkedHashMap<>();
        private String url;
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private final List<MessagingInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds an interceptor: it runs around every send, delivery and settlement of the client made
         * from this configuration, after those added before it ({@link MessagingInterceptor} tells the order).
         * Interceptors are not options: the URL, the environment and {@link #toString()} do not carry them.
         *
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(MessagingInterceptor interceptor) {
            if (interceptor == null) {
                throw new ConfigurationException("an interceptor is null");
            }
            interceptors.add(interceptor);
            return this;
        }

        /**
         * Adds interceptors, in the list's order, as by {@link #interceptor(MessagingInterceptor)}.
         *
         * @param list the interceptors
         * @return this builder
         */
        public Builder interceptors(List<? extends MessagingInterceptor> list) {
            list.forEach(this::interceptor);
            return this;
        }

        /**
         * Reads {@code MQ_URL} and {@code MQ_*} from this environment map (pass {@code System.getenv()}).
         *
         * @param env variable names to values
         * @return this builder
         */
        public Builder environment(Map<String, String> env) {
            new TreeMap<>(env).forEach((name, value) -> {
                if (name.equals(ENV_URL)) {
                    envUrl = value;
                } else if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()
                        && !ENV_NOT_OPTIONS.contains(name) && !name.startsWith(ENV_TESTS_PREFIX)) {
                    String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    envOptions.put(key, value);
                    envVariables.put(key, name);
                }
            });
            return this;
        }

        /**
         * The URL; it wins over {@code MQ_URL}.
         *
         * @param url the connection URL
         * @return this builder
         */
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

        /**
         * Explicit options, as by {@link #option(String, Object)} for each entry.
         *
         * @param options option names to values ({@code url} sets the URL)
         * @return this builder
         */
        public Builder options(Map<String, ?> options) {
            options.forEach(this::option);
            return this;
        }

        /**
         * Parses the URL and merges the options: environment, then the URL's query, then explicit options.
         *
         * @return the configuration
         * @throws MalformedUrlException the URL does not parse
         */
        public MessagingConfig build() {
            String u = url != null ? url : envUrl != null ? envUrl : DEFAULT_URL;
            MqUrl parsed;
            try {
                parsed = MqUrl.parse(u);
            } catch (MalformedUrlException e) {
                if (url != null || envUrl == null) {
                    throw e;
                }
                // a deployment's URL: say where it came from
                throw new MalformedUrlException(e.getMessage() + " (from the environment variable " + ENV_URL + ")");
            }
            Map<String, String> merged = new LinkedHashMap<>(envOptions);
            merged.putAll(parsed.query());
            merged.putAll(explicit);
            Map<String, String> fromEnv = new LinkedHashMap<>(envVariables);
            fromEnv.keySet().removeAll(parsed.query().keySet());
            fromEnv.keySet().removeAll(explicit.keySet());
            Set<String> fromUrl = new HashSet<>(parsed.query().keySet());
            fromUrl.removeAll(explicit.keySet());
            return new MessagingConfig(parsed, Collections.unmodifiableMap(merged), Collections.unmodifiableMap(fromEnv),
                    Set.copyOf(fromUrl), List.copyOf(interceptors));
        }
    }
}
