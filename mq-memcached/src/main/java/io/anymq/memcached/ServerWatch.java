package io.anymq.memcached;

import net.rubyeye.xmemcached.MemcachedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which server processes the client connected to, and tells when one of them is a new one (a
 * restart: memcached keeps nothing across one). Asked only when a member or a sender sees its
 * counters go missing or backwards, so it costs nothing while all is well.
 */
final class ServerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ServerWatch.class);
    private final Map<InetSocketAddress, String> identities = new ConcurrentHashMap<>();
    private final Store store;
    private long generation;

    ServerWatch(Store store, Iterable<ServerFacts> facts) {
        this.store = store;
        for (ServerFacts f : facts) {
            identities.put(f.address(), f.identity());
        }
    }

    /** How many server restarts this client has seen so far, without asking the servers. */
    synchronized long generation() {
        return generation;
    }

    /**
     * Asks the servers who they are now and returns how many restarts this client has seen (one more
     * for each server that is a new process). A caller that remembers the number it saw last knows
     * whether a restart came in between; the same number means the same processes (then missing
     * counters went by eviction, expiry or by hand).
     */
    synchronized long refresh() {
        Map<InetSocketAddress, Map<String, String>> stats;
        try {
            stats = store.call("stats", () -> store.client().getStats());
        } catch (RuntimeException e) {
            LOG.debug("cannot read memcached stats to tell a restart: {}", e.toString());
            return generation;
        }
        for (Map.Entry<InetSocketAddress, Map<String, String>> e : stats.entrySet()) {
            String now = ServerFacts.of(e.getKey(), e.getValue(), Map.of()).identity();
            String before = identities.put(e.getKey(), now);
            if (before != null && !before.equals(now)) {
                LOG.warn("memcached at {} is a new process ({} before, {} now): everything it held is gone", e.getKey(), before, now);
                generation++;
            }
        }
        return generation;
    }
}
