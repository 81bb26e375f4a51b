package io.anymq.bench;

import io.anymq.ConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a benchmark run does, in the spirit of the OpenMessaging Benchmark's workloads: a workload
 * file ({@code mq bench URL --workload FILE}, YAML) names these settings with OMB's spelling; see
 * {@link #KNOWN} for every name a file may use.
 *
 * @param name          a label for reports (the file's {@code name}, or empty)
 * @param messageSize   bytes per payload (at least {@link Payloads#HEADER_BYTES}, which carry the
 *                      sequence number and the send time)
 * @param rate          messages per second over all producers; 0 for as fast as possible
 * @param producers     producers per topic (each a thread with its own producer)
 * @param consumers     consumers per subscription of each topic
 * @param subscriptions subscriptions (groups) per topic: each gets every message (fan-out)
 * @param topics        topics
 * @param partitions    partitions per topic, for backends that have them (Kafka, Pulsar: the
 *                      {@code partitions} option); 0 for the backend's default
 * @param keys          distinct keys, spread round-robin; 0 for no key
 * @param handlerDelay  time each delivery's handler takes (a sleep) before it returns and the
 *                      message is acked; zero for none
 * @param concurrency   deliveries a consumer handles at once (the push path's scheduling)
 * @param warmup        time before measuring
 * @param duration      measured time
 * @param maxMessages   a bound on messages per producer in a run (the run ends at the bound or
 *                      the time, whichever comes first)
 * @param drainTimeout  how long consumers may take after the last send to receive everything
 */
public record Workload(String name, int messageSize, int rate, int producers, int consumers, int subscriptions, int topics,
                       int partitions, int keys, Duration handlerDelay, int concurrency, Duration warmup, Duration duration,
                       long maxMessages, Duration drainTimeout) {

    /** The settings a workload file may name (OMB's spelling), each with what it means. */
    static final Map<String, String> KNOWN = known();

    private static Map<String, String> known() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", "a label for reports");
        m.put("topics", "number of topics");
        m.put("partitionsPerTopic", "partitions per topic where the broker has them (0: its default)");
        m.put("messageSize", "payload bytes, e.g. 1024 or 64KiB");
        m.put("producersPerTopic", "producers per topic");
        m.put("subscriptionsPerTopic", "subscriptions (groups) per topic, each receiving every message");
        m.put("consumerPerSubscription", "consumers per subscription");
        m.put("producerRate", "messages per second over all producers (0: as fast as possible)");
        m.put("keys", "distinct keys, round-robin (0: no key)");
        m.put("consumerHandlerDelay", "time a handler takes per message, e.g. 1ms");
        m.put("consumerConcurrency", "deliveries a consumer handles at once");
        m.put("warmup", "time before measuring, e.g. 2s");
        m.put("duration", "measured time, e.g. 10s");
        m.put("maxMessages", "bound on messages per producer in a run");
        m.put("drainTimeout", "time allowed after the last send to receive everything");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Other spellings accepted (the command line's option names, and older workload files'), to their name in {@link #KNOWN}. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("size", "messageSize"), Map.entry("rate", "producerRate"), Map.entry("producers", "producersPerTopic"),
            Map.entry("consumers", "consumerPerSubscription"), Map.entry("consumersPerSubscription", "consumerPerSubscription"),
            Map.entry("subscriptions", "subscriptionsPerTopic"), Map.entry("partitions", "partitionsPerTopic"),
            Map.entry("keyDistribution", "keys"), Map.entry("handlerDelay", "consumerHandlerDelay"),
            Map.entry("concurrency", "consumerConcurrency"), Map.entry("warmupDuration", "warmup"),
            Map.entry("testDuration", "duration"));

    public Workload {
        name = name == null ? "" : name;
        if (messageSize < Payloads.HEADER_BYTES) {
            throw new ConfigurationException("message size must be at least " + Payloads.HEADER_BYTES + " bytes: " + messageSize);
        }
        if (rate < 0 || producers < 1 || consumers < 1 || subscriptions < 1 || topics < 1 || partitions < 0 || keys < 0
                || concurrency < 1 || maxMessages < 1 || handlerDelay.isNegative()) {
            throw new ConfigurationException("workload values out of range: " + this);
        }
    }

    public static Workload defaults() {
        return new Workload("", 1024, 0, 1, 1, 1, 1, 0, 0, Duration.ZERO, 1, Duration.ofSeconds(2), Duration.ofSeconds(10),
                100_000_000, Duration.ofSeconds(30));
    }

    /**
     * Loads a workload file: YAML (a mapping of the names in {@link #KNOWN}), or Java properties when
     * the name ends in {@code .properties}; missing settings keep the defaults. An unknown name, a
     * value of the wrong kind or a file that is not a mapping is a ConfigurationException naming it.
     */
    public static Workload load(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (file.getFileName().toString().endsWith(".properties")) {
                Properties p = new Properties();
                p.load(in);
                p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k).strip()));
            } else {
                LoaderOptions options = new LoaderOptions();
                options.setAllowDuplicateKeys(false);
                Object doc = new Yaml(new SafeConstructor(options)).load(in);
                if (doc != null && !(doc instanceof Map<?, ?>)) {
                    throw new ConfigurationException("workload file " + file + " must be a mapping of settings (name: value), not a "
                            + kind(doc));
                }
                if (doc != null) {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
                        String key = String.valueOf(e.getKey());
                        Object v = e.getValue();
                        if (v instanceof Map<?, ?> || v instanceof List<?> || v == null) {
                            throw new ConfigurationException("workload file " + file + ": setting '" + key
                                    + "' must be a single value, not a " + kind(v));
                        }
                        settings.put(key, String.valueOf(v));
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot read workload file " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new ConfigurationException("workload file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        try {
            return defaults().with(settings);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("workload file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String kind(Object v) {
        return v == null ? "empty value" : v instanceof Map<?, ?> ? "mapping" : v instanceof List<?> ? "list" : v.getClass().getSimpleName();
    }

    /** The name in {@link #KNOWN} a setting's name means (case, '-' and '_' ignored), or null. */
    static String canonical(String key) {
        String k = normalize(key);
        for (String known : KNOWN.keySet()) {
            if (normalize(known).equals(k)) {
                return known;
            }
        }
        for (Map.Entry<String, String> a : ALIASES.entrySet()) {
            if (normalize(a.getKey()).equals(k)) {
                return a.getValue();
            }
        }
        return null;
    }

    private static String normalize(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** This workload with the given settings (names as in a workload file, or their aliases) replacing its own. */
    public Workload with(Map<String, String> settings) {
        String n = name;
        int size = messageSize, r = rate, p = producers, c = consumers, s = subscriptions, t = topics, parts = partitions, k = keys;
        int conc = concurrency;
        Duration delay = handlerDelay, w = warmup, d = duration, drain = drainTimeout;
        long max = maxMessages;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String v = e.getValue();
            String known = canonical(key);
            if (known == null) {
                throw new ConfigurationException("unknown workload setting '" + key + "'; known: " + String.join(", ", KNOWN.keySet()));
            }
            switch (known) {
                case "name" -> n = v.strip();
                case "messageSize" -> size = (int) Sizes.parseBytes(v);
                case "producerRate" -> r = parseInt(key, v);
                case "producersPerTopic" -> p = parseInt(key, v);
                case "consumerPerSubscription" -> c = parseInt(key, v);
                case "subscriptionsPerTopic" -> s = parseInt(key, v);
                case "topics" -> t = parseInt(key, v);
                case "partitionsPerTopic" -> parts = parseInt(key, v);
                case "keys" -> k = parseInt(key, v);
                case "consumerHandlerDelay" -> delay = parseDuration(key, v);
                case "consumerConcurrency" -> conc = parseInt(key, v);
                case "warmup" -> w = parseDuration(key, v);
                case "duration" -> d = parseDuration(key, v);
                case "maxMessages" -> max = parseLong(key, v);
                case "drainTimeout" -> drain = parseDuration(key, v);
                default -> throw new IllegalStateException(known);
            }
        }
        return new Workload(n, size, r, p, c, s, t, parts, k, delay, conc, w, d, max, drain);
    }

    private static int parseInt(String key, String v) {
        long n = parseLong(key, v);
        if (n != (int) n) {
            throw new ConfigurationException("workload setting '" + key + "' is too large: '" + v + "'");
        }
        return (int) n;
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("workload setting '" + key + "' must be a whole number: '" + v + "'");
        }
    }

    private static Duration parseDuration(String key, String v) {
        try {
            return Sizes.parseDuration(v);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("workload setting '" + key + "': " + e.getMessage(), e);
        }
    }

    /** Producers over all topics. */
    int totalProducers() {
        return producers * topics;
    }

    /** One line for reports. */
    public String describe() {
        return (name.isEmpty() ? "" : name + ": ") + messageSize + " B, " + (rate == 0 ? "max rate" : rate + " msg/s") + ", "
                + topics + " topic(s)" + (partitions > 0 ? " x " + partitions + " partitions" : "")
                + ", " + producers + " producer(s)/topic, " + subscriptions + " subscription(s)/topic x " + consumers + " consumer(s)"
                + (handlerDelay.isZero() ? "" : ", handler " + handlerDelay.toMillis() + " ms") + (concurrency > 1 ? ", concurrency " + concurrency : "")
                + (keys > 0 ? ", " + keys + " keys" : "") + ", warm-up " + time(warmup) + ", " + time(duration);
    }

    private static String time(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
