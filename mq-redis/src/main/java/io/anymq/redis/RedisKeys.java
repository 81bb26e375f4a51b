package io.anymq.redis;

/**
 * Portable names on Redis. A topic's stream is the key {@code anymq:{TOPIC}:stream}: the hash tag
 * {@code {TOPIC}} keeps every key of a topic in one Redis Cluster slot. A group is a consumer group
 * of the same name. Portable names contain no brace, so the tag is exactly the topic.
 */
final class RedisKeys {
    private RedisKeys() {
    }

    static byte[] stream(String topic) {
        return ("anymq:{" + topic + "}:stream").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
