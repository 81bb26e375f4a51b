package io.anymq.memcached;

/**
 * The key layout (see the module README). Every key of a topic starts with {@code <prefix><topic>:},
 * and that part alone decides the server a key lives on ({@link TopicLocator}), so that a topic's
 * counters, messages and group state are on one server. Portable names have no {@code ':'}, so the
 * parts never run into each other.
 *
 * <pre>
 * &lt;prefix&gt;&lt;topic&gt;:tail              the number of the last message taken by a sender (incr)
 * &lt;prefix&gt;&lt;topic&gt;:&lt;n&gt;               message n: the anymq envelope (or plain bytes from a native sender)
 * &lt;prefix&gt;&lt;topic&gt;:&lt;group&gt;:head      the highest number handed out to the group's members (incr)
 * &lt;prefix&gt;&lt;topic&gt;:&lt;group&gt;:low       every number up to it is settled for the group
 * &lt;prefix&gt;&lt;topic&gt;:&lt;group&gt;:&lt;n&gt;       message n's state in the group ({@link LeaseState})
 * </pre>
 */
final class Keys {
    /** Memcached's longest key. */
    static final int MAX_KEY = 250;

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String tail(String topic) {
        return prefix + topic + ":tail";
    }

    String message(String topic, long n) {
        return prefix + topic + ":" + n;
    }

    String head(String topic, String group) {
        return prefix + topic + ":" + group + ":head";
    }

    String low(String topic, String group) {
        return prefix + topic + ":" + group + ":low";
    }

    String state(String topic, String group, long n) {
        return prefix + topic + ":" + group + ":" + n;
    }

    /** The part of a key that decides its server: the prefix and the topic. Other keys are placed whole. */
    String placement(String key) {
        if (!key.startsWith(prefix)) {
            return key;
        }
        int colon = key.indexOf(':', prefix.length());
        return colon < 0 ? key : key.substring(0, colon);
    }
}
