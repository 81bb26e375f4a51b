package io.anymq.jms;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;

import java.util.concurrent.CompletableFuture;

/**
 * Sends to the topic's destination: a persistent {@code BytesMessage}, synchronously on a pooled
 * session, so the future is complete (with the {@code JMSMessageID} as the receipt's position) when the broker holds the message (ActiveMQ: a sync send;
 * Artemis: a blocking durable send).
 */
final class JmsProducerDriver implements ProducerDriver {
    private final JmsClientDriver client;
    private final String topic;

    JmsProducerDriver(JmsClientDriver client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        try {
            String jmsId = client.senders().with(lease -> {
                BytesMessage m = JmsMessages.toJms(lease.session(), message, 0, client.dialect().propertiesKeepSupplementaryCharacters());
                if (message.deliverAt() != null) {
                    client.dialect().holdUntil(m, message.deliverAt().toEpochMilli());
                }
                Destination to = client.dialect().topic(lease.session(), topic);
                lease.send(to, m);
                return m.getJMSMessageID();
            });
            return CompletableFuture.completedFuture(new Receipt(topic, message.id(), message.timestamp(), jmsId));
        } catch (JMSException | RuntimeException e) {
            return CompletableFuture.failedFuture(client.error("send to topic '" + topic + "'", e));
        }
    }

    @Override
    public void close() {
        // the sessions belong to the client's pool
    }
}
