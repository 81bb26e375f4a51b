package io.anymq.it.jms;

import io.anymq.Capability;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.UnsupportedCapabilityException;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * A packaged ActiveMQ Classic runs without {@code schedulerSupport} and delivers a delayed message at once: with
     * {@code scheduler=auto} (the default) the driver finds that out at connect (the probe's held message arrives before
     * its plain one) and refuses delays instead of ignoring them. (The harness' broker has a scheduler:
     * {@code withoutABrokerSchedulerDelaysAreRefusedNotIgnored} checks that the probe finds it.)
     */
    @Test
    void aBrokerWithoutASchedulerIsFoundAtConnectAndDelaysAreRefused() {
        try (Broker plain = TestBrokers.provide(kind(), BrokerOptions.defaults().withoutScheduler());
             MessagingClient client = Messaging.connect(plain.url())) {
            assertThat(client.capabilities().has(Capability.DELAYED_DELIVERY)).isFalse();
            assertThat(client.capabilities().has(Capability.NACK_REDELIVERY)).isFalse();
            String topic = fresh("plain-broker");
            client.consumer(topic, "g").close();
            try (Producer p = client.producer(topic)) {
                assertThatThrownBy(() -> p.send(Message.builder().payload("later").deliverAt(Instant.now().plusSeconds(5)).build()))
                        .isInstanceOf(UnsupportedCapabilityException.class);
                p.send(Message.of("now")).join();
            }
        }
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
