package io.anymq.rabbitmq;

/**
 * How portable names become RabbitMQ names. Portable names (ASCII letters, digits, '.', '_', '-')
 * never contain ':', so {@code anymq:TOPIC:GROUP} is unambiguous, and nothing starts with the
 * reserved {@code amq.} prefix.
 *
 * <ul>
 *   <li>topic {@code T}: the durable fanout exchange {@code anymq:T};</li>
 *   <li>group {@code G} of topic {@code T}: the durable queue {@code anymq:T:G};</li>
 *   <li>delays: the headers exchange {@code anymq:delay} and the classic queues
 *       {@code anymq:delay:<ms>}, whose expired messages go to the direct exchange
 *       {@code anymq:redeliver}, bound to every group queue (key = queue name) and every topic
 *       exchange (key = exchange name).</li>
 * </ul>
 */
final class RabbitMqNames {
    static final String PREFIX = "anymq:";
    static final String DELAY_EXCHANGE = PREFIX + "delay";
    static final String REDELIVER_EXCHANGE = PREFIX + "redeliver";
    static final String DELAY_QUEUE_PREFIX = PREFIX + "delay:";

    private RabbitMqNames() {
    }

    static String exchange(String topic) {
        return PREFIX + topic;
    }

    static String queue(String topic, String group) {
        return PREFIX + topic + ":" + group;
    }

    static String delayQueue(long bucketMillis) {
        return DELAY_QUEUE_PREFIX + bucketMillis;
    }

    /** The topic of an exchange name of ours, or null. */
    static String topicOfExchange(String exchange) {
        if (exchange == null || !exchange.startsWith(PREFIX)) {
            return null;
        }
        String rest = exchange.substring(PREFIX.length());
        return rest.isEmpty() || rest.indexOf(':') >= 0 ? null : rest;
    }

    /** {topic, group} of a group queue name of ours, or null. */
    static String[] topicAndGroupOfQueue(String queue) {
        if (queue == null || !queue.startsWith(PREFIX) || queue.startsWith(DELAY_QUEUE_PREFIX)) {
            return null;
        }
        String rest = queue.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        return new String[]{rest.substring(0, colon), rest.substring(colon + 1)};
    }

    /**
     * The delay queue that holds a message for at least {@code millis}: the delay rounded up to two
     * significant digits (500 ms stays 500 ms, 1,234 ms becomes 1,300 ms), so that a few dozen
     * queues per decade serve every delay and each queue's fixed TTL keeps it first-in first-out.
     */
    static long bucket(long millis) {
        if (millis <= 1) {
            return 1;
        }
        long scale = 1;
        long m = millis;
        while (m >= 100) {
            // round up while dropping a digit
            m = (m + 9) / 10;
            scale *= 10;
        }
        return m * scale;
    }
}
