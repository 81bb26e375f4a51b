package io.anymq.jms;

import io.anymq.Receipt;
import io.anymq.TransactionException;
import io.anymq.spi.TransactionWork;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction's sends on a transacted JMS session: every message is sent (to any number of
 * destinations), then the session commits; readers see none of them before the commit. Anything that
 * fails before {@code commit()} rolls the session back (nothing took effect); a commit the broker
 * rolled back is {@code ABORTED} too; a commit that ends in any other error (a lost connection) is
 * {@code UNKNOWN}: the broker may have committed it.
 */
final class JmsTransactions {
    private final JmsClientDriver client;
    private final SessionPool sessions;

    JmsTransactions(JmsClientDriver client, SessionPool sessions) {
        this.client = client;
        this.sessions = sessions;
    }

    List<Receipt> commit(TransactionWork work) {
        try {
            return sessions.with(lease -> sendAndCommit(lease.session(), lease.producer(), work));
        } catch (TransactionException e) {
            throw e;
        } catch (JMSException | RuntimeException e) {
            // the session could not be made or lent: nothing was sent
            throw new TransactionException(TransactionException.Outcome.ABORTED, "the transaction was not committed: "
                    + client.error("open a transacted session", e).getMessage(), e);
        }
    }

    private List<Receipt> sendAndCommit(Session session, jakarta.jms.MessageProducer producer, TransactionWork work) throws JMSException {
        List<Receipt> receipts = new ArrayList<>(work.sends().size());
        Map<String, Destination> destinations = new HashMap<>();
        try {
            for (TransactionWork.Send s : work.sends()) {
                io.anymq.Message message = s.message();
                BytesMessage m = JmsMessages.toJms(session, message, 0, client.dialect().propertiesKeepSupplementaryCharacters());
                if (message.deliverAt() != null) {
                    client.dialect().holdUntil(m, message.deliverAt().toEpochMilli());
                }
                Destination to = destinations.get(s.topic());
                if (to == null) {
                    to = client.topic(session, s.topic());
                    destinations.put(s.topic(), to);
                }
                producer.send(to, m, DeliveryMode.PERSISTENT, jakarta.jms.Message.DEFAULT_PRIORITY, jakarta.jms.Message.DEFAULT_TIME_TO_LIVE);
                receipts.add(new Receipt(s.topic(), message.id(), message.timestamp(), m.getJMSMessageID()));
            }
        } catch (JMSException | RuntimeException e) {
            rollbackQuietly(session);
            throw new TransactionException(TransactionException.Outcome.ABORTED, "the transaction was rolled back: "
                    + client.error("send in a transaction", e).getMessage(), e);
        }
        try {
            session.commit();
        } catch (TransactionRolledBackException e) {
            throw new TransactionException(TransactionException.Outcome.ABORTED, "the broker rolled the transaction back: "
                    + client.error("commit", e).getMessage(), e);
        } catch (JMSException | RuntimeException e) {
            throw new TransactionException(TransactionException.Outcome.UNKNOWN, "the commit did not complete ("
                    + client.error("commit", e).getMessage() + "): the transaction may or may not have taken effect", e);
        }
        return receipts;
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException ignored) {
            // the session is dropped from the pool with the error that follows
        }
    }
}
