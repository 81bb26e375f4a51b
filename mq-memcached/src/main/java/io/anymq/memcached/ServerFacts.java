package io.anymq.memcached;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What one server says about itself ({@code stats} and {@code stats settings}): whether it may evict
 * ({@code evictions on}; {@code -M} turns it off), its largest item, its version, and who it is
 * (process id and start time), which changes when it restarts and so tells that everything it held is gone.
 */
record ServerFacts(InetSocketAddress address, String version, boolean evicts, long itemSizeMax, String identity) {

    static ServerFacts of(InetSocketAddress address, Map<String, String> stats, Map<String, String> settings) {
        boolean evicts = !"off".equalsIgnoreCase(String.valueOf(settings.get("evictions")).strip());
        long itemMax = parse(settings.get("item_size_max"), 1024 * 1024);
        long time = parse(stats.get("time"), 0);
        long uptime = parse(stats.get("uptime"), 0);
        String identity = "pid " + stats.get("pid") + ", up since " + (time - uptime);
        return new ServerFacts(address, String.valueOf(stats.get("version")), evicts, itemMax, identity);
    }

    private static long parse(String value, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }
}
