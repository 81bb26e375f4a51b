package io.anymq.redis;

import java.nio.charset.StandardCharsets;

/**
 * Portable names on Redis. Every key of a topic starts with {@code anymq:{TOPIC}:}: the hash tag
 * {@code {TOPIC}} keeps them in one Redis Cluster slot, so that one script may touch all of them.
 * Portable names contain neither a brace nor a colon, so the tag is exactly the topic and the parts
 * of a key cannot run into each other.
 * <ul>
 * <li>stream mode: the stream {@code anymq:{T}:stream}; a group is a consumer group of the same name</li>
 * <li>list mode: {@code anymq:{T}:list:groups} (SET), and per group G {@code anymq:{T}:list:G:ready} (LIST),
 *     {@code :inflight} (ZSET), {@code :pending} (HASH), {@code :delayed} (ZSET), {@code :deliveries} (HASH),
 *     {@code :seq} (counter), {@code :invalid} (LIST)</li>
 * <li>zset mode: {@code anymq:{T}:zset:groups} (SET), {@code anymq:{T}:zset:seq} (counter), and per group G
 *     {@code anymq:{T}:zset:G:due} (ZSET), {@code :inflight} (ZSET), {@code :body} (HASH),
 *     {@code :deliveries} (HASH), {@code :wake} (LIST), {@code :invalid} (LIST)</li>
 * </ul>
 */
final class RedisKeys {
    private RedisKeys() {
    }

    static byte[] stream(String topic) {
        return bytes("anymq:{" + topic + "}:stream");
    }

    /** The prefix of every key of the topic in the list or zset mode: {@code anymq:{T}:list:} or {@code anymq:{T}:zset:}. */
    static String prefix(RedisMode mode, String topic) {
        if (mode == RedisMode.STREAM) {
            throw new IllegalArgumentException("the stream mode has one key per topic");
        }
        return "anymq:{" + topic + "}:" + mode.option() + ":";
    }

    /** The topic's group registry (a SET of group names). */
    static byte[] groups(RedisMode mode, String topic) {
        return bytes(prefix(mode, topic) + "groups");
    }

    /** The zset mode's counter of entry ids, one per topic. */
    static byte[] sequence(RedisMode mode, String topic) {
        return bytes(prefix(mode, topic) + "seq");
    }

    /** A key of one group: {@code anymq:{T}:MODE:G:PART}. */
    static byte[] group(RedisMode mode, String topic, String group, String part) {
        return bytes(prefix(mode, topic) + group + ":" + part);
    }

    /** The parts of a group's keys in the list and zset modes (what {@link #group} takes). */
    static java.util.List<String> groupParts(RedisMode mode) {
        return mode == RedisMode.LIST ? java.util.List.of("ready", "inflight", "pending", "delayed", "deliveries", "seq", "invalid")
                : java.util.List.of("due", "inflight", "body", "deliveries", "wake", "invalid");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
