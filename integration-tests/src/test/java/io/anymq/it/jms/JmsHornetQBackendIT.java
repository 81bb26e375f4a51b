package io.anymq.it.jms;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hornetq:// against a real HornetQ 2.4.7 server. The plain client here is HornetQ's own 2.4.7 JMS
 * client (javax.jms), in a JVM of its own, so the two interop scenarios are its; the rest
 * (credentials, bad input, native settings) are the shared ones.
 */
class JmsHornetQBackendIT extends JmsBackendTests {
    @Override
    BrokerKind kind() {
        return BrokerKind.HORNETQ;
    }

    @Override
    @Test
    void whatThePlainClientSendsArrivesWithPayloadKeyAndHeaders() throws Exception {
        LegacyHornetQClient legacy = new LegacyHornetQClient();
        String topic = fresh("from-native");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(topic, "g"); // makes the JMS topic
            String hex = HexFormat.of().formatHex(NOT_UTF8);
            assertThat(legacy.run("send", broker.host(), Integer.toString(broker.port()), topic, hex, "customer-7")).contains("SENT");
            Delivery d = consumer.receive(Duration.ofSeconds(15)).orElseThrow();
            assertThat(d.message().payload()).isEqualTo(NOT_UTF8);
            assertThat(d.message().key()).isEqualTo("customer-7");
            assertThat(d.message().headers()).containsEntry("trace", "legacy").containsEntry("content-type", "application/x-legacy");
            assertThat(d.message().headers().keySet()).noneMatch(n -> n.startsWith("JMS") || n.startsWith("anymq") || n.startsWith("_"));
            assertThat(d.deliveryCount()).isEqualTo(1);
            d.ack().join();
            assertThat(consumer.receive(Duration.ofMillis(500))).isEmpty();
        }
    }

    @Override
    @Test
    void whatAnymqSendsIsReadByThePlainClientWhereTheReadmeSays() throws Exception {
        LegacyHornetQClient legacy = new LegacyHornetQClient();
        String topic = fresh("to-native");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            client.consumer(topic, "anchor").close(); // makes the JMS topic the legacy client subscribes to
            Process receiver = legacy.start("receive", broker.host(), Integer.toString(broker.port()), topic, "legacy-sub");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                LegacyHornetQClient.readUntil(out, "SUBSCRIBED");
                client.producer(topic).send(Message.builder().payload(NOT_UTF8).key("k-1").id("my-id").header("trace", "a1")
                        .header("content-type", "text/x").build()).join();
                assertThat(LegacyHornetQClient.readUntil(out, "GOT", "NOTHING"))
                        .isEqualTo("GOT payload=" + HexFormat.of().formatHex(NOT_UTF8) + " key=k-1 trace=a1 contentType=text/x id=my-id");
            } finally {
                if (!receiver.waitFor(30, TimeUnit.SECONDS)) {
                    receiver.destroyForcibly();
                }
            }
        }
    }

    @Override
    ConnectionFactory nativeFactory(Broker broker) {
        throw new UnsupportedOperationException("the plain HornetQ client runs in its own JVM (LegacyHornetQClient)");
    }

    @Override
    Destination nativeTopic(Session session, String topic) {
        throw new UnsupportedOperationException("the plain HornetQ client runs in its own JVM (LegacyHornetQClient)");
    }

    @Override
    MessageConsumer nativeGroupMember(Session session, String topic, String group) {
        throw new UnsupportedOperationException("the plain HornetQ client runs in its own JVM (LegacyHornetQClient)");
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
