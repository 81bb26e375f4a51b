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
 * {@code AMQ_SCHEDULED_DELAY} unless the broker runs with {@code schedulerSupport="true"}. The probe sends, on one
 * producer to a temporary queue, a message held for ten seconds and then a plain one: a broker that ignores the delay
 * delivers them in that order (one producer, one queue), one that holds it delivers the plain one first. So the first
 * message to arrive answers, one round trip (the probe waited {@link #WAIT_MS} for nothing before, at every connect of
 * a broker with a scheduler: 300 ms of each ActiveMQ connect). Nothing within {@link #WAIT_MS}: held, as before.
 */
final class SchedulerProbe {
    static final long WAIT_MS = 300;
    /** The property that tells the probe's two messages apart. */
    private static final String PROBE = "anymq_scheduler_probe";

    private SchedulerProbe() {
    }

    static boolean brokerHoldsDelayedMessages(Connection connection, Dialect dialect) throws JMSException {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            TemporaryQueue q = s.createTemporaryQueue();
            MessageConsumer c = s.createConsumer(q);
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            jakarta.jms.Message delayed = s.createMessage();
            delayed.setStringProperty(PROBE, "delayed");
            dialect.holdUntil(delayed, System.currentTimeMillis() + 10_000);
            p.send(delayed);
            jakarta.jms.Message plain = s.createMessage();
            plain.setStringProperty(PROBE, "plain");
            p.send(plain);
            jakarta.jms.Message first = c.receive(WAIT_MS);
            boolean held = first == null || "plain".equals(first.getStringProperty(PROBE));
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
