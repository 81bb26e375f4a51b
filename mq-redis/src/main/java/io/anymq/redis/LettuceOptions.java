package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.protocol.ProtocolVersion;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code redis.*} options: lettuce's client options by name (lettuce has no property map, so
 * the names are this module's, one per builder method). They are applied after the module's own
 * defaults, so they win. An unknown name is a {@link ConfigurationException} that lists the known ones.
 */
final class LettuceOptions {
    static final Set<String> NAMES = new TreeSet<>(Set.of("auto-reconnect", "ping-before-activate-connection", "request-queue-size",
            "disconnected-behavior", "protocol-version", "publish-on-scheduler", "socket.keep-alive", "socket.tcp-no-delay"));

    private LettuceOptions() {
    }

    /** Checks every name and value first, so that a typo fails before anything is built. */
    static void check(Map<String, String> natives) {
        for (Map.Entry<String, String> e : natives.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw new ConfigurationException("unknown lettuce option 'redis." + e.getKey() + "'; known: redis."
                        + String.join(", redis.", NAMES));
            }
        }
        apply(natives, ClientOptions.builder(), SocketOptions.builder());
    }

    static void apply(Map<String, String> natives, ClientOptions.Builder client, SocketOptions.Builder socket) {
        natives.forEach((name, value) -> {
            try {
                switch (name) {
                    case "auto-reconnect" -> client.autoReconnect(bool(value));
                    case "ping-before-activate-connection" -> client.pingBeforeActivateConnection(bool(value));
                    case "request-queue-size" -> client.requestQueueSize(Integer.parseInt(value.trim()));
                    case "disconnected-behavior" -> client.disconnectedBehavior(
                            ClientOptions.DisconnectedBehavior.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                    case "protocol-version" -> client.protocolVersion(ProtocolVersion.valueOf(value.trim().toUpperCase(Locale.ROOT)));
                    case "publish-on-scheduler" -> client.publishOnScheduler(bool(value));
                    case "socket.keep-alive" -> socket.keepAlive(bool(value));
                    case "socket.tcp-no-delay" -> socket.tcpNoDelay(bool(value));
                    default -> throw new IllegalArgumentException("unknown");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("lettuce option 'redis." + name + "' has a value it cannot take: '" + value + "'", e);
            }
        });
    }

    private static boolean bool(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("not a boolean");
        }
        return s.equals("true");
    }
}
