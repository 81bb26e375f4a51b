package io.anymq.nats;

/**
 * Portable names on NATS. A topic is the subject of the same name (portable characters are all
 * legal in subjects; a {@code .} separates subject tokens, as NATS users expect). Stream and consumer
 * names may not contain {@code .}, so they are the name with {@code _} written {@code __} and
 * {@code .} written {@code _d}: {@code orders.eu_west} becomes {@code orders_deu__west}, and no two
 * portable names meet.
 */
final class NatsNames {
    private NatsNames() {
    }

    static String subject(String topic) {
        return topic;
    }

    static String stream(String topic) {
        return encode(topic);
    }

    static String durable(String group) {
        return encode(group);
    }

    static String encode(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                b.append("__");
            } else if (c == '.') {
                b.append("_d");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
