package io.anymq.memcached;

import com.google.code.yanf4j.core.impl.StandardSocketOption;
import io.anymq.ConfigurationException;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code memcached.*} options: xmemcached's builder settings by name (xmemcached has no property
 * map, so the names are this module's, one per setter). They are applied after the module's own
 * defaults, so they win. An unknown name is a {@link ConfigurationException} that lists the known ones.
 * Key sanitizing and the session locator are not offered: they would change the documented key layout
 * and the placement of a topic on one server.
 */
final class XMemcachedOptions {
    static final String PREFIX = "memcached.";
    static final Set<String> NAMES = new TreeSet<>(Set.of("connection-pool-size", "selector-pool-size", "heal-session-interval",
            "enable-heal-session", "failure-mode", "max-queued-noreply-operations", "tcp-no-delay", "op-timeout", "name"));

    private XMemcachedOptions() {
    }

    /** Checks every name and value before anything is built, so that a typo fails first. */
    static void check(Map<String, String> natives) {
        for (String name : natives.keySet()) {
            if (!NAMES.contains(name)) {
                throw new ConfigurationException("unknown xmemcached option '" + PREFIX + name + "'; known: " + PREFIX
                        + String.join(", " + PREFIX, NAMES));
            }
        }
        apply(natives, new XMemcachedClientBuilder("127.0.0.1:11211"));
    }

    static void apply(Map<String, String> natives, XMemcachedClientBuilder builder) {
        natives.forEach((name, value) -> {
            try {
                switch (name) {
                    case "connection-pool-size" -> builder.setConnectionPoolSize(positive(value));
                    case "selector-pool-size" -> builder.setSelectorPoolSize(positive(value));
                    case "heal-session-interval" -> builder.setHealSessionInterval(positive(value));
                    case "enable-heal-session" -> builder.setEnableHealSession(bool(value));
                    case "failure-mode" -> builder.setFailureMode(bool(value));
                    case "max-queued-noreply-operations" -> builder.setMaxQueuedNoReplyOperations(positive(value));
                    case "tcp-no-delay" -> builder.setSocketOption(StandardSocketOption.TCP_NODELAY, bool(value));
                    case "op-timeout" -> builder.setOpTimeout(positive(value));
                    case "name" -> builder.setName(value.strip());
                    default -> throw new IllegalArgumentException("unknown");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("xmemcached option '" + PREFIX + name + "' has a value it cannot take: '" + value + "'", e);
            }
        });
    }

    private static int positive(String v) {
        int n = Integer.parseInt(v.strip());
        if (n < 1) {
            throw new IllegalArgumentException("not positive");
        }
        return n;
    }

    private static boolean bool(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("not a boolean");
        }
        return s.equals("true");
    }
}
