package io.anymq.jms;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends to the topic's destination: a persistent {@code BytesMessage} on a pooled session, through
 * the dialect's {@link Dialect#send} (asynchronous where the broker answers a send once it has stored
 * the message: ActiveMQ Classic and Artemis; synchronous on HornetQ), so the future completes, with the
 * {@code JMSMessageID} as the receipt's position, when the broker holds the message. The destination
 * is made once: on Artemis and HornetQ {@code createTopic} asks the broker whether the address exists,
 * a round trip a send need not repeat.
 */
final class JmsProducerDriver implements ProducerDriver {
    private final JmsClientDriver client;
    private final String topic;
    private volatile Destination destination;

    JmsProducerDriver(JmsClientDriver client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        try {
            return client.senders().with(lease -> {
                BytesMessage m = JmsMessages.toJms(lease.session(), message, 0, client.dialect().propertiesKeepSupplementaryCharacters());
                if (message.deliverAt() != null) {
                    client.dialect().holdUntil(m, message.deliverAt().toEpochMilli());
                }
                Destination to = destination;
                if (to == null) {
                    to = client.topic(lease.session(), topic);
                    destination = to;
                }
                CompletableFuture<Void> stored = lease.send(client.dialect(), to, m, client.callbacks());
                String jmsId = m.getJMSMessageID();
                Receipt receipt = new Receipt(topic, message.id(), message.timestamp(), jmsId);
                if (stored.isDone() && !stored.isCompletedExceptionally()) {
                    return CompletableFuture.completedFuture(receipt);
                }
                return stored.handle((v, e) -> {
                    if (e != null) {
                        throw new CompletionException(client.error("send to topic '" + topic + "'", unwrap(e)));
                    }
                    return receipt;
                });
            });
        } catch (JMSException | RuntimeException e) {
            return CompletableFuture.failedFuture(client.error("send to topic '" + topic + "'", e));
        }
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public void close() {
        // the sessions belong to the client's pool
    }
}
