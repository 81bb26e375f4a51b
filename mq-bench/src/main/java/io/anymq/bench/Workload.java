package io.anymq.bench;

import io.anymq.ConfigurationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark run does, in the spirit of the OpenMessaging Benchmark's workloads.
 *
 * @param messageSize bytes per payload (at least {@link Payloads#HEADER_BYTES}, which carry the
 *                    sequence number and the send time)
 * @param rate        messages per second over all producers; 0 for as fast as possible
 * @param producers   producer threads (each with its own producer)
 * @param consumers   consumers, all in one group per topic
 * @param topics      topics; producers and consumers are spread over them
 * @param partitions  partitions per topic, for backends that have them (passed as the
 *                    {@code partitions} option)
 * @param keys        distinct keys, spread round-robin; 0 for no key
 * @param warmup      time before measuring
 * @param duration    measured time
 * @param maxMessages a bound on messages per producer in a run (the run ends at the bound or
 *                    the time, whichever comes first)
 * @param drainTimeout how long consumers may take after the last send to receive everything
 */
public record Workload(int messageSize, int rate, int producers, int consumers, int topics, int partitions, int keys,
                       Duration warmup, Duration duration, long maxMessages, Duration drainTimeout) {

    public Workload {
        if (messageSize < Payloads.HEADER_BYTES) {
            throw new ConfigurationException("message size must be at least " + Payloads.HEADER_BYTES + " bytes: " + messageSize);
        }
        if (rate < 0 || producers < 1 || consumers < 1 || topics < 1 || partitions < 1 || keys < 0 || maxMessages < 1) {
            throw new ConfigurationException("workload values out of range: " + this);
        }
    }

    public static Workload defaults() {
        return new Workload(1024, 0, 1, 1, 1, 1, 0, Duration.ofSeconds(2), Duration.ofSeconds(10), 100_000_000,
                Duration.ofSeconds(30));
    }

    /** Loads a workload file: Java properties or flat YAML ({@code key: value}); missing keys keep the defaults. */
    public static Workload load(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("---")) {
                    continue;
                }
                int sep = indexOfSeparator(l);
                if (sep < 0) {
                    throw new ConfigurationException("workload file " + file + ": cannot read line '" + line + "'");
                }
                String value = l.substring(sep + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                m.put(l.substring(0, sep).strip().toLowerCase(Locale.ROOT), value);
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot read workload file " + file + ": " + e.getMessage(), e);
        }
        return defaults().with(m);
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    /** This workload with the given settings (names as in a workload file) replacing its own. */
    public Workload with(Map<String, String> settings) {
        int size = messageSize, r = rate, p = producers, c = consumers, t = topics, parts = partitions, k = keys;
        Duration w = warmup, d = duration, drain = drainTimeout;
        long max = maxMessages;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String v = e.getValue();
            switch (e.getKey().replace('_', '-')) {
                case "message-size", "messagesize", "size" -> size = (int) Sizes.parseBytes(v);
                case "rate", "producer-rate" -> r = parseInt(e.getKey(), v);
                case "producers" -> p = parseInt(e.getKey(), v);
                case "consumers" -> c = parseInt(e.getKey(), v);
                case "topics" -> t = parseInt(e.getKey(), v);
                case "partitions", "partitions-per-topic" -> parts = parseInt(e.getKey(), v);
                case "keys", "key-distribution" -> k = parseInt(e.getKey(), v);
                case "warmup", "warmup-duration" -> w = Sizes.parseDuration(v);
                case "duration", "test-duration" -> d = Sizes.parseDuration(v);
                case "max-messages" -> max = Long.parseLong(v.strip());
                case "drain-timeout" -> drain = Sizes.parseDuration(v);
                default -> throw new ConfigurationException("unknown workload setting '" + e.getKey() + "'");
            }
        }
        return new Workload(size, r, p, c, t, parts, k, w, d, max, drain);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("workload setting '" + key + "' must be a whole number: '" + v + "'");
        }
    }

    /** One line for reports. */
    public String describe() {
        return messageSize + " B, " + (rate == 0 ? "max rate" : rate + " msg/s") + ", " + producers + "P/" + consumers + "C, "
                + topics + " topic(s)" + (partitions > 1 ? " x " + partitions + " partitions" : "")
                + (keys > 0 ? ", " + keys + " keys" : "") + ", warm-up " + warmup.toSeconds() + " s, " + duration.toSeconds() + " s";
    }
}
