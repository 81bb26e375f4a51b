package io.anymq.jms;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

/**
 * Finds out whether the broker holds delayed messages. ActiveMQ Classic ignores
 * {@code AMQ_SCHEDULED_DELAY} unless the broker runs with {@code schedulerSupport="true"}: a
 * message held for ten seconds that arrives at once on a temporary queue shows that it does not.
 * Costs one wait of {@link #WAIT_MS} at connect when the scheduler is there.
 */
final class SchedulerProbe {
    static final long WAIT_MS = 300;

    private SchedulerProbe() {
    }

    static boolean brokerHoldsDelayedMessages(Connection connection, Dialect dialect) throws JMSException {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            TemporaryQueue q = s.createTemporaryQueue();
            MessageConsumer c = s.createConsumer(q);
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            jakarta.jms.Message m = s.createMessage();
            dialect.holdUntil(m, System.currentTimeMillis() + 10_000);
            p.send(m);
            boolean held = c.receive(WAIT_MS) == null;
            c.close();
            p.close();
            try {
                q.delete();
            } catch (JMSException stillScheduled) {
                // the held message still refers to it; the broker drops it when it comes due
            }
            return held;
        } finally {
            s.close();
        }
    }
}
