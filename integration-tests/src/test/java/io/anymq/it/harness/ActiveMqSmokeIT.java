package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import org.apache.activemq.ActiveMQConnectionFactory;

import java.util.Optional;

/** A persistent JMS message (KahaDB) survives kill -9. */
class ActiveMqSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.ACTIVEMQ;
    }

    private static ActiveMQConnectionFactory factory(Broker broker) {
        return new ActiveMQConnectionFactory(broker.nativeProperties().get("brokerUrl"));
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        Jms.send(factory(broker), key, value);
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        return Jms.browse(factory(broker), key);
    }
}
