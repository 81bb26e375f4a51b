package io.anymq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQMessageConsumer;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.activemq.artemis.jms.client.ConnectionFactoryOptions;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * A JMS consumer on a core queue that is bound to a topic's address. Artemis' JMS session only
 * consumes queues whose name is their address, or subscriptions it made itself (HornetQ 2.4 cannot
 * make shared ones), so the group's queue is read by a core consumer wrapped in Artemis' own JMS
 * consumer, made through its (protected) constructor: messages, acknowledgement modes and receive
 * then behave as for any consumer of that session.
 */
final class HornetQGroupConsumer {
    private static final Constructor<ActiveMQMessageConsumer> CONSTRUCTOR;

    static {
        try {
            CONSTRUCTOR = ActiveMQMessageConsumer.class.getDeclaredConstructor(ConnectionFactoryOptions.class, ActiveMQConnection.class,
                    ActiveMQSession.class, ClientConsumer.class, boolean.class, ActiveMQDestination.class, String.class, SimpleString.class);
            CONSTRUCTOR.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("this artemis-jakarta-client has no ActiveMQMessageConsumer constructor the HornetQ dialect can use: " + e);
        }
    }

    private HornetQGroupConsumer() {
    }

    static MessageConsumer wrap(ActiveMQConnectionFactory options, ActiveMQSession session, ClientConsumer consumer, ActiveMQDestination topic)
            throws JMSException {
        try {
            return CONSTRUCTOR.newInstance(options, session.getConnection(), session, consumer, false, topic, null, null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof JMSException je) {
                throw je;
            }
            throw new IllegalStateException("cannot wrap the core consumer: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot wrap the core consumer: " + e, e);
        }
    }
}
