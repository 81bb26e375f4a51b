package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A persistent JMS message (NIO journal) survives kill -9. */
class ArtemisSmokeIT extends JmsSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.ARTEMIS;
    }

    @Override
    ConnectionFactory factory(Broker broker) {
        return new ActiveMQConnectionFactory(broker.nativeProperties().get("brokerUrl"));
    }
}
