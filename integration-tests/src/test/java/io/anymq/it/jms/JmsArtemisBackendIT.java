package io.anymq.it.jms;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** artemis:// against ActiveMQ Artemis: a topic is the multicast address &lt;topic&gt;, a group the shared durable subscription &lt;topic&gt;:&lt;group&gt;. */
class JmsArtemisBackendIT extends JmsBackendTests {
    @Override
    BrokerKind kind() {
        return BrokerKind.ARTEMIS;
    }

    @Override
    ConnectionFactory nativeFactory(Broker broker) {
        return new ActiveMQConnectionFactory(broker.nativeProperties().get("brokerUrl"));
    }

    @Override
    Destination nativeTopic(Session session, String topic) throws Exception {
        return session.createTopic(topic);
    }

    @Override
    MessageConsumer nativeGroupMember(Session session, String topic, String group) throws Exception {
        return session.createSharedDurableConsumer(session.createTopic(topic), topic + ":" + group);
    }

    @Override
    String aNativeSetting() {
        return "consumerWindowSize=12345";
    }

    @Override
    void checkNativeSetting(ConnectionFactory factory) {
        assertThat(((ActiveMQConnectionFactory) factory).getConsumerWindowSize()).isEqualTo(12345);
    }
}
