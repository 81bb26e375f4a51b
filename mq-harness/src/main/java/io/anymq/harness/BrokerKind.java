package io.anymq.harness;

import java.util.Locale;

/** The brokers the harness can provide. */
public enum BrokerKind {
    REDIS(true), MEMCACHED(false), NATS(true), RABBITMQ(true),
    KAFKA(true), ACTIVEMQ(true), ARTEMIS(true), ROCKETMQ(true), PULSAR(true), HORNETQ(true);

    private final boolean persistent;

    BrokerKind(boolean persistent) {
        this.persistent = persistent;
    }

    /** Lower-case name: {@code redis}, {@code kafka}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The environment variable that names a broker the user already runs, e.g. {@code MQ_IT_KAFKA_URL}. */
    public String envVar() {
        return "MQ_IT_" + name() + "_URL";
    }

    /** The system property with the same meaning, e.g. {@code mq.it.kafka.url}. */
    public String systemProperty() {
        return "mq.it." + id() + ".url";
    }

    /** Whether its data survives a restart (false only for memcached). */
    public boolean persistent() {
        return persistent;
    }

    /** The kind with this id, ignoring case. */
    public static BrokerKind of(String id) {
        for (BrokerKind k : values()) {
            if (k.id().equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no broker named '" + id + "'; known: redis, memcached, nats, rabbitmq, kafka, activemq, artemis, rocketmq, pulsar, hornetq");
    }
}
