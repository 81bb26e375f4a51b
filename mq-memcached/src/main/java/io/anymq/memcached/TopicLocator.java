package io.anymq.memcached;

import com.google.code.yanf4j.core.Session;
import net.rubyeye.xmemcached.MemcachedSessionLocator;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;

import java.util.Collection;

/**
 * Consistent hashing (ketama) over the topic instead of the whole key: every key of a topic lands on
 * the same server, so its tail counter, its messages and its groups' heads, lows and states are one
 * server's, and {@code incr}, {@code add} and {@code cas} on them are atomic together. Topics spread
 * over the servers; one topic is as available as its server.
 */
final class TopicLocator implements MemcachedSessionLocator {
    private final KetamaMemcachedSessionLocator ketama = new KetamaMemcachedSessionLocator();
    private final Keys keys;

    TopicLocator(Keys keys) {
        this.keys = keys;
    }

    @Override
    public Session getSessionByKey(String key) {
        return ketama.getSessionByKey(keys.placement(key));
    }

    @Override
    public void updateSessions(Collection<Session> list) {
        ketama.updateSessions(list);
    }

    @Override
    public void setFailureMode(boolean failureMode) {
        ketama.setFailureMode(failureMode);
    }
}
