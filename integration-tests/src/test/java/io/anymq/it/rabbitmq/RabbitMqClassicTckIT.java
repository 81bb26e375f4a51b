package io.anymq.it.rabbitmq;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite on RabbitMQ with classic durable queues (queue-type=classic). {@code unroutable=accept}:
 * one scenario sends to a topic that has no group yet and expects the send to complete, which is
 * the portable behaviour; the backend's default (a returned, unroutable message fails the send) is
 * tested in {@link RabbitMqBackendIT}.
 */
@HeavyBrokers
class RabbitMqClassicTckIT extends MessagingTck {
    private final Broker broker = TestBrokers.provide(BrokerKind.RABBITMQ);

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect(broker.url() + "/?queue-type=classic&unroutable=accept");
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder().reportName("rabbitmq-classic").build();
    }

    @AfterAll
    void stopBroker() {
        client().close();
        broker.close();
    }
}
