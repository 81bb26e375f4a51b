package io.anymq.it.harness;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.it.HeavyBrokers;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A persistent message in a durable classic queue, confirmed by the broker, survives kill -9.
 * (Seen here with RabbitMQ 3.10.8: after kill -9 and restart, a single-node quorum queue's Ra member
 * was not restarted, "leader not known"; the RabbitMQ backend must test its queue type under this fault.)
 */
@HeavyBrokers
class RabbitMqSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.RABBITMQ;
    }

    private static Connection connect(Broker broker) throws Exception {
        Map<String, String> p = broker.nativeProperties();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(p.get("host"));
        f.setPort(Integer.parseInt(p.get("port")));
        f.setUsername(p.get("user"));
        f.setPassword(p.get("password"));
        f.setVirtualHost(p.get("virtualHost"));
        return f.newConnection("smoke");
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        try (Connection c = connect(broker); Channel ch = c.createChannel()) {
            ch.queueDeclare(key, true, false, false, Map.of("x-queue-type", "classic"));
            // RabbitMQ 3.10 stores a new queue's definition a moment after declare-ok: a queue made just before
            // kill -9 may be forgotten (see mq-rabbitmq's README). The smoke test is about the harness, so let it settle.
            Thread.sleep(3000);
            ch.confirmSelect();
            ch.basicPublish("", key, MessageProperties.PERSISTENT_TEXT_PLAIN, value.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        try (Connection c = connect(broker); Channel ch = c.createChannel()) {
            GetResponse r = ch.basicGet(key, false);
            if (r == null) {
                return Optional.empty();
            }
            ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true); // leave it in the queue
            return Optional.of(new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }
}
