package io.anymq.it.harness;

import io.anymq.harness.Broker;
import jakarta.jms.ConnectionFactory;

import java.util.Optional;

/** The smoke check of a JMS broker: a persistent message on a queue, read back by a browser (non-destructive). */
abstract class JmsSmokeTest extends BrokerSmokeTest {

    abstract ConnectionFactory factory(Broker broker);

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        Jms.send(factory(broker), key, value);
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        return Jms.browse(factory(broker), key);
    }
}
