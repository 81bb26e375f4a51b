package io.anymq.jms;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HornetQ 2.4 servers through Artemis' client speaking the HornetQ protocol
 * ({@code HornetQClientProtocolManagerFactory}, JMS 1.x prefixes): the same Jakarta JMS driver, no
 * {@code javax.jms} and no old Netty. A topic is the JMS topic {@code T} (address
 * {@code jms.topic.T}), created through HornetQ's management queue when missing (HornetQ does not
 * create topics by itself). A group is the durable core queue {@code T:G} on that address, with the
 * filter {@code anymq_group IS NULL OR anymq_group = 'G'}, so that a copy for one group (a nack, a
 * release) goes to the topic marked with {@code anymq_group}. Delays are HornetQ scheduled delivery
 * ({@code _HQ_SCHED_DELIVERY}). One instance per client: it remembers the topics it made.
 */
final class HornetQDialect implements Dialect {
    static final String PROTOCOL = "org.apache.activemq.artemis.core.protocol.hornetq.client.HornetQClientProtocolManagerFactory";
    static final String FOR_GROUP = PropertyNames.OWN_PREFIX + "group";
    private static final String SCHEDULED_DELIVERY = "_HQ_SCHED_DELIVERY";
    private static final long MANAGEMENT_TIMEOUT_MS = 10_000;

    private final Set<String> topicsKnown = ConcurrentHashMap.newKeySet();
    private volatile ActiveMQConnectionFactory factory;

    @Override
    public String scheme() {
        return "hornetq";
    }

    @Override
    public String brokerName() {
        return "HornetQ";
    }

    @Override
    public String nativePrefix() {
        return "hornetq.";
    }

    @Override
    public int defaultPort() {
        return 5445;
    }

    @Override
    public ConnectionFactory factory(JmsSettings s, Map<String, String> nativeOptions) {
        ActiveMQConnectionFactory f = ArtemisDialect.newFactory(s);
        f.setProtocolManagerFactoryStr(PROTOCOL);
        f.setEnable1xPrefixes(true);
        ArtemisDialect.configure(f, s);
        NativeOptions.apply(f, nativePrefix(), nativeOptions);
        factory = f;
        return f;
    }

    @Override
    public int individualAcknowledgeMode() {
        return ActiveMQJMSConstants.INDIVIDUAL_ACKNOWLEDGE;
    }

    @Override
    public Destination topic(Session session, String topic) throws JMSException {
        ensureTopic(session, topic);
        return session.createTopic(topic);
    }

    @Override
    public MessageConsumer join(Session session, String topic, String group, int prefetch) throws JMSException {
        ActiveMQDestination t = (ActiveMQDestination) topic(session, topic);
        ActiveMQSession s = (ActiveMQSession) session;
        ClientSession core = s.getCoreSession();
        SimpleString queue = SimpleString.of(queueName(topic, group));
        try {
            if (!core.queueQuery(queue).isExists()) {
                try {
                    core.createQueue(QueueConfiguration.of(queue).setAddress(t.getSimpleAddress()).setRoutingType(RoutingType.MULTICAST)
                            .setDurable(true).setFilterString(FOR_GROUP + " IS NULL OR " + FOR_GROUP + " = '" + group + "'"));
                } catch (ActiveMQException e) {
                    if (e.getType() != ActiveMQExceptionType.QUEUE_EXISTS) {
                        throw e;
                    }
                }
            }
            return HornetQGroupConsumer.wrap(factory, s, core.createConsumer(queue), t);
        } catch (ActiveMQException e) {
            JMSException je = new JMSException("cannot join the queue " + queue + ": " + e.getMessage());
            je.setLinkedException(e);
            throw je;
        }
    }

    @Override
    public void acknowledgeUncommitted(Session session, Message message) throws JMSException {
        ArtemisConsumers.acknowledgeUncommitted(session, message);
    }

    @Override
    public void commitAcknowledgements(Session session) throws JMSException {
        ArtemisConsumers.commit(session);
    }

    @Override
    public java.util.function.BooleanSupplier holdsMore(MessageConsumer consumer) {
        return ArtemisConsumers.holdsMore(consumer);
    }

    @Override
    public TimedReceive receiver(MessageConsumer consumer) {
        return ArtemisConsumers.receiver(consumer);
    }

    @Override
    public Destination groupOnly(Session session, String topic, String group) throws JMSException {
        return topic(session, topic);
    }

    @Override
    public void markForGroup(Message message, String group) throws JMSException {
        message.setStringProperty(FOR_GROUP, group);
    }

    @Override
    public void holdUntil(Message message, long epochMillis) throws JMSException {
        message.setLongProperty(SCHEDULED_DELIVERY, epochMillis);
    }

    @Override
    public void watch(jakarta.jms.Connection connection, io.anymq.spi.ConnectionState state) throws JMSException {
        ArtemisDialect.watchArtemis(connection, state);
    }

    @Override
    public void abandon(Session session) {
        ArtemisDialect.abandonArtemis(session);
    }

    @Override
    public void abandon(jakarta.jms.Connection connection) {
        ArtemisDialect.abandonArtemis(connection);
    }

    @Override
    public String queueName(String topic, String group) {
        return topic + ":" + group;
    }

    /** Creates the JMS topic through HornetQ's management queue ({@code jms.server createTopic}) unless this client knows it. */
    private void ensureTopic(Session session, String topic) throws JMSException {
        if (topicsKnown.contains(topic)) {
            return;
        }
        Session m = ((ActiveMQSession) session).getConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            TemporaryQueue reply = m.createTemporaryQueue();
            TextMessage request = m.createTextMessage("[\"" + topic + "\"]");
            request.setStringProperty("_HQ_ResourceName", "jms.server");
            request.setStringProperty("_HQ_OperationName", "createTopic");
            request.setJMSReplyTo(reply);
            MessageConsumer answers = m.createConsumer(reply);
            MessageProducer p = m.createProducer(m.createQueue("hornetq.management"));
            p.send(request);
            Message answer = answers.receive(MANAGEMENT_TIMEOUT_MS);
            if (answer == null) {
                throw new JMSException("HornetQ's management queue did not answer the creation of topic '" + topic + "' within "
                        + MANAGEMENT_TIMEOUT_MS + " ms");
            }
            if (!answer.propertyExists("_HQ_OperationSucceeded") || !answer.getBooleanProperty("_HQ_OperationSucceeded")) {
                String why = answer instanceof TextMessage tm ? tm.getText() : String.valueOf(answer);
                throw new JMSException("HornetQ refused to create topic '" + topic + "' (the user needs the manage permission, or create "
                        + "the topic beforehand): " + why);
            }
            topicsKnown.add(topic);
        } finally {
            m.close();
        }
    }
}
