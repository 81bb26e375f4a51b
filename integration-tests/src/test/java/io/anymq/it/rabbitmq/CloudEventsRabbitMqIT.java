package io.anymq.it.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.cloudevents.CloudEventMessages;
import io.anymq.cloudevents.CloudEventMode;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CloudEvents in binary mode through a real RabbitMQ: {@code datacontenttype} travels as the AMQP
 * {@code content_type} property (where plain AMQP clients and Dapr look for it), both ways: an event anymq
 * sends reaches a plain amqp-client consumer with {@code content_type} set and the {@code ce_} headers, and
 * a plain publisher's {@code content_type} property becomes the event's {@code datacontenttype} for anymq.
 */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudEventsRabbitMqIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.RABBITMQ);
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String text(Object amqpValue) {
        return amqpValue == null ? null : amqpValue.toString();
    }

    @Test
    void dataContentTypeIsTheContentTypePropertyBothWays() throws Exception {
        String topic = "ce-rmq-" + UUID.randomUUID().toString().substring(0, 8);
        String exchange = "anymq:" + topic;
        try (Connection nc = RabbitMqBackendIT.nativeFactory(broker).newConnection("native"); MessagingClient client = Messaging.connect(broker.url())) {
            Channel ch = nc.createChannel();
            Consumer consumer = client.consumer(topic, "g"); // its queue exists before anything is sent
            String own = ch.queueDeclare("native-" + topic, false, false, true, null).getQueue();
            ch.queueBind(own, exchange, "");

            // anymq -> a plain amqp-client consumer
            CloudEvent sent = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("https://shop.example/orders"))
                    .withType("com.example.order.placed").withDataContentType("application/json")
                    .withData("{\"item\":\"book\"}".getBytes(StandardCharsets.UTF_8)).build();
            try (Producer p = client.producer(topic)) {
                p.send(CloudEventMessages.toMessage(sent, CloudEventMode.BINARY)).join();
            }
            GetResponse r = RabbitMqBackendIT.getOne(ch, own);
            assertThat(r).isNotNull();
            assertThat(r.getProps().getContentType()).isEqualTo("application/json");
            assertThat(r.getProps().getHeaders()).doesNotContainKey("content-type");
            assertThat(text(r.getProps().getHeaders().get("ce_id"))).isEqualTo("e-1");
            assertThat(text(r.getProps().getHeaders().get("ce_type"))).isEqualTo("com.example.order.placed");
            // ... and anymq's own consumer reads the same event back
            Delivery mine = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(CloudEventMessages.toCloudEvent(mine.message()).getDataContentType()).isEqualTo("application/json");
            mine.ack().join();

            // a plain amqp-client publisher with content_type -> anymq
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("ce_specversion", "1.0");
            headers.put("ce_id", "e-2");
            headers.put("ce_source", "urn:native");
            headers.put("ce_type", "com.example.native");
            ch.basicPublish(exchange, "", new AMQP.BasicProperties.Builder().contentType("text/plain").headers(headers).build(),
                    "hello".getBytes(StandardCharsets.UTF_8));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().header("content-type")).isEqualTo("text/plain");
            CloudEvent got = CloudEventMessages.toCloudEvent(d.message());
            assertThat(got.getId()).isEqualTo("e-2");
            assertThat(got.getDataContentType()).isEqualTo("text/plain");
            assertThat(new String(got.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            d.ack().join();
            consumer.close();
        }
    }
}
