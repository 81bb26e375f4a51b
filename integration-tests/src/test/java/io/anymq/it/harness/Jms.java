package io.anymq.it.harness;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.Enumeration;
import java.util.Optional;

/** Persistent send and non-destructive browse of a JMS queue. */
final class Jms {
    private Jms() {
    }

    static void send(ConnectionFactory factory, String queue, String value) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(value));
        }
    }

    static Optional<String> browse(ConnectionFactory factory, String queue) throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(queue);
            try (QueueBrowser b = s.createBrowser(q)) {
                Enumeration<?> e = b.getEnumeration();
                return e.hasMoreElements() ? Optional.of(((TextMessage) e.nextElement()).getText()) : Optional.empty();
            }
        }
    }
}
