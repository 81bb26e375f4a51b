package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;

/** A persistent JMS message (KahaDB) survives kill -9. */
class ActiveMqSmokeIT extends JmsSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.ACTIVEMQ;
    }

    @Override
    ConnectionFactory factory(Broker broker) {
        return new ActiveMQConnectionFactory(broker.nativeProperties().get("brokerUrl"));
    }
}
