package io.anymq.jms;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.util.Map;

/**
 * ActiveMQ Artemis over its Core protocol (artemis-jakarta-client). A topic is the multicast address
 * {@code <topic>}; a group is a JMS 2.0 shared durable subscription on it named
 * {@code <topic>:<group>}, which Artemis keeps as the durable multicast queue of that name on the
 * address. A copy for one group goes to the fully qualified queue name {@code <topic>::<queue>}.
 * Delays are Artemis scheduled delivery ({@code _AMQ_SCHED_DELIVERY}).
 */
final class ArtemisDialect implements Dialect {
    private static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    @Override
    public String scheme() {
        return "artemis";
    }

    @Override
    public String brokerName() {
        return "ActiveMQ Artemis";
    }

    @Override
    public String nativePrefix() {
        return "artemis.";
    }

    @Override
    public int defaultPort() {
        return 61616;
    }

    @Override
    public ConnectionFactory factory(JmsSettings s, Map<String, String> nativeOptions) {
        String host = s.host().indexOf(':') >= 0 && !s.host().startsWith("[") ? "[" + s.host() + "]" : s.host();
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory("tcp://" + host + ":" + s.port()
                + "?connectTimeoutMillis=" + s.connectTimeout().toMillis());
        configure(f, s);
        NativeOptions.apply(f, nativePrefix(), nativeOptions);
        return f;
    }

    /** The settings an Artemis client factory gets from the driver (shared with the HornetQ dialect). */
    static void configure(ActiveMQConnectionFactory f, JmsSettings s) {
        if (s.user() != null) {
            f.setUser(s.user());
            f.setPassword(s.password());
        }
        f.setBlockOnDurableSend(true);        // a send completes when the broker holds the message
        f.setBlockOnNonDurableSend(true);
        f.setBlockOnAcknowledge(true);        // an individual ack waits for the broker's answer
        f.setInitialConnectAttempts(1);       // the first connect fails fast
        f.setReconnectAttempts(-1);           // later, the connection comes back by itself
        f.setRetryInterval(200);
        f.setRetryIntervalMultiplier(1.5);
        f.setMaxRetryInterval(1000);
        f.setCallTimeout(s.sendTimeout().toMillis());
        f.setCallFailoverTimeout(s.sendTimeout().toMillis());
    }

    @Override
    public int individualAcknowledgeMode() {
        return ActiveMQJMSConstants.INDIVIDUAL_ACKNOWLEDGE;
    }

    @Override
    public Destination topic(Session session, String topic) throws JMSException {
        return session.createTopic(topic);
    }

    @Override
    public MessageConsumer join(Session session, String topic, String group, int prefetch) throws JMSException {
        Topic t = session.createTopic(topic);
        return session.createSharedDurableConsumer(t, subscription(topic, group));
    }

    @Override
    public Destination groupOnly(Session session, String topic, String group) throws JMSException {
        return session.createTopic(topic + "::" + queueName(topic, group));
    }

    @Override
    public void holdUntil(Message message, long epochMillis) throws JMSException {
        message.setLongProperty(SCHEDULED_DELIVERY, epochMillis);
    }

    /** Artemis names the queue of a shared durable subscription without a client id by the subscription's name. */
    @Override
    public String queueName(String topic, String group) {
        return subscription(topic, group);
    }

    private static String subscription(String topic, String group) {
        return topic + ":" + group;
    }
}
