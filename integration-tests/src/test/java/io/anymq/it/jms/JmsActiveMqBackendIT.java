package io.anymq.it.jms;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** activemq:// against ActiveMQ Classic: a topic is VirtualTopic.&lt;topic&gt;, a group the queue Consumer.&lt;group&gt;.VirtualTopic.&lt;topic&gt;. */
class JmsActiveMqBackendIT extends JmsBackendTests {
    @Override
    BrokerKind kind() {
        return BrokerKind.ACTIVEMQ;
    }

    @Override
    ConnectionFactory nativeFactory(Broker broker) {
        return new ActiveMQConnectionFactory(broker.nativeProperties().get("brokerUrl"));
    }

    @Override
    Destination nativeTopic(Session session, String topic) throws Exception {
        return session.createTopic("VirtualTopic." + topic);
    }

    @Override
    MessageConsumer nativeGroupMember(Session session, String topic, String group) throws Exception {
        return session.createConsumer(session.createQueue("Consumer." + group + ".VirtualTopic." + topic));
    }

    @Override
    String aNativeSetting() {
        return "sendTimeout=4321";
    }

    @Override
    void checkNativeSetting(ConnectionFactory factory) {
        assertThat(((ActiveMQConnectionFactory) factory).getSendTimeout()).isEqualTo(4321);
    }
}
