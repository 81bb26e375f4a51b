package io.anymq.it.cloudevents;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.cloudevents.CloudEventMessages;
import io.anymq.cloudevents.CloudEventMode;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CloudEvents between anymq and the CloudEvents SDK's Kafka binding through a real Kafka: events a
 * plain KafkaProducer with the SDK's CloudEventSerializer writes (binary and structured) are read
 * unchanged by an anymq consumer with mq-cloudevents, and events anymq sends are read unchanged by a
 * plain KafkaConsumer with the SDK's CloudEventDeserializer.
 */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudEventsKafkaIT {
    private Broker broker;
    private String servers;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.KAFKA);
        servers = broker.nativeProperties().get("bootstrap.servers");
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("https://shop.example/orders"))
                .withType("com.example.order.placed").withSubject("customer/7")
                .withTime(OffsetDateTime.parse("2026-11-30T05:01:02.345Z"))
                .withDataContentType("application/json")
                .withData("{\"item\":\"book\",\"price\":\"12 €\"}".getBytes(StandardCharsets.UTF_8))
                .withExtension("partitionkey", "customer-7").withExtension("tenant", "eu").build();
    }

    private static void assertSameEvent(CloudEvent actual, CloudEvent expected) {
        assertThat(actual.getId()).isEqualTo(expected.getId());
        assertThat(actual.getSource()).isEqualTo(expected.getSource());
        assertThat(actual.getType()).isEqualTo(expected.getType());
        assertThat(actual.getSubject()).isEqualTo(expected.getSubject());
        assertThat(actual.getTime()).isEqualTo(expected.getTime());
        assertThat(actual.getDataContentType()).isEqualTo(expected.getDataContentType());
        assertThat(actual.getExtensionNames()).containsExactlyInAnyOrderElementsOf(expected.getExtensionNames());
        for (String name : expected.getExtensionNames()) {
            assertThat(actual.getExtension(name)).as(name).isEqualTo(expected.getExtension(name));
        }
        assertThat(new String(actual.getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected.getData().toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void eventsFromTheSdksKafkaSerializerAreReadByAnymq() throws Exception {
        String topic = "ce-in-" + UUID.randomUUID().toString().substring(0, 8);
        try (MessagingClient client = Messaging.connect(broker.url());
             Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build())) {
            for (Encoding encoding : new Encoding[]{Encoding.BINARY, Encoding.STRUCTURED}) {
                CloudEventSerializer serializer = new CloudEventSerializer();
                serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                        CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
                CloudEvent sent = event("native-" + encoding);
                try (KafkaProducer<String, CloudEvent> plain = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                        new StringSerializer(), serializer)) {
                    plain.send(new ProducerRecord<>(topic, "customer-7", sent)).get();
                }
                Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow();
                assertThat(CloudEventMessages.mode(d.message())).contains(
                        encoding == Encoding.BINARY ? CloudEventMode.BINARY : CloudEventMode.STRUCTURED);
                assertThat(d.message().key()).isEqualTo("customer-7");
                assertSameEvent(CloudEventMessages.toCloudEvent(d.message()), sent);
                d.ack().join();
            }
        }
    }

    @Test
    void eventsAnymqSendsAreReadByTheSdksKafkaDeserializer() {
        String topic = "ce-out-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, CloudEvent> sent = new HashMap<>();
        try (MessagingClient client = Messaging.connect(broker.url());
             io.anymq.Producer producer = client.producer(topic)) {
            for (CloudEventMode mode : CloudEventMode.values()) {
                CloudEvent e = event("anymq-" + mode);
                sent.put(e.getId(), e);
                producer.send(CloudEventMessages.toMessage(e, mode)).join();
            }
        }
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", servers,
                "group.id", "plain-" + UUID.randomUUID(), "auto.offset.reset", "earliest"));
        Map<String, CloudEvent> received = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        try (KafkaConsumer<String, CloudEvent> plain = new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventDeserializer())) {
            plain.subscribe(java.util.List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CloudEvent> r : plain.poll(Duration.ofMillis(200))) {
                    received.put(r.value().getId(), r.value());
                    keys.put(r.value().getId(), r.key());
                }
            }
        }
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        sent.forEach((id, e) -> {
            assertSameEvent(received.get(id), e);
            assertThat(keys.get(id)).as("the partitionkey extension is the record key").isEqualTo("customer-7");
        });
    }
}
