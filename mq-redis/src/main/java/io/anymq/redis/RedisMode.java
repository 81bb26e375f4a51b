package io.anymq.redis;

/** How mq-redis uses Redis, chosen with the URL option {@code mode}. */
enum RedisMode {
    /** Streams with consumer groups (the default). */
    STREAM("stream"),
    /** A reliable queue: one List per group, an in-flight set per group, envelopes as values. */
    LIST("list"),
    /** A delay queue: one Sorted Set per group scored by due time, an in-flight set per group, envelopes as values. */
    ZSET("zset");

    private final String option;

    RedisMode(String option) {
        this.option = option;
    }

    /** The value of the URL option. */
    String option() {
        return option;
    }

    /** The mode of that option value, or null. */
    static RedisMode named(String option) {
        for (RedisMode m : values()) {
            if (m.option.equals(option)) {
                return m;
            }
        }
        return null;
    }
}
