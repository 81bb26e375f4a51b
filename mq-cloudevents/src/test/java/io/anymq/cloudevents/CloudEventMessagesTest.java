package io.anymq.cloudevents;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventMessagesTest {

    static CloudEvent fullEvent() {
        return CloudEventBuilder.v1()
                .withId("order-42")
                .withSource(URI.create("https://shop.example/orders"))
                .withType("com.example.order.placed")
                .withSubject("customer/7")
                .withTime(OffsetDateTime.parse("2026-11-30T05:01:02.345+01:00"))
                .withDataSchema(URI.create("https://shop.example/schemas/order.json"))
                .withDataContentType("application/json")
                .withData("{\"item\":\"book\",\"price\":\"12 €\"}".getBytes(StandardCharsets.UTF_8))
                .withExtension("partitionkey", "customer-7")
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .withExtension("tenant", "eu")
                .build();
    }

    @Test
    void binaryModeUsesTheKafkaBindingsHeaderNames() {
        Message m = CloudEventMessages.toMessage(fullEvent());
        assertThat(m.headers()).containsOnly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "order-42"),
                Map.entry("ce_source", "https://shop.example/orders"),
                Map.entry("ce_type", "com.example.order.placed"),
                Map.entry("ce_subject", "customer/7"),
                Map.entry("ce_time", "2026-11-30T05:01:02.345+01:00"),
                Map.entry("ce_dataschema", "https://shop.example/schemas/order.json"),
                Map.entry("content-type", "application/json"),
                Map.entry("ce_partitionkey", "customer-7"),
                Map.entry("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                Map.entry("ce_tenant", "eu"));
        assertThat(m.key()).as("the partitionkey extension is the key").isEqualTo("customer-7");
        assertThat(m.payloadAsString()).isEqualTo("{\"item\":\"book\",\"price\":\"12 €\"}");
        assertThat(m.id()).as("the event id is unique per source only: not the message id").isNull();
        assertThat(CloudEventMessages.mode(m)).contains(CloudEventMode.BINARY);
        Events.assertSameEvent(CloudEventMessages.toCloudEvent(m), fullEvent());
    }

    @Test
    void structuredModeIsTheJsonEventFormat() {
        Message m = CloudEventMessages.toMessage(fullEvent(), CloudEventMode.STRUCTURED);
        assertThat(m.headers()).containsOnly(Map.entry("content-type", "application/cloudevents+json"));
        assertThat(m.key()).isEqualTo("customer-7");
        Events.assertSameEvent(new JsonFormat().deserialize(m.payload()), fullEvent());
        assertThat(m.payloadAsString()).contains("\"specversion\":\"1.0\"", "\"id\":\"order-42\"", "\"data\":{\"item\":\"book\"");
        assertThat(CloudEventMessages.mode(m)).contains(CloudEventMode.STRUCTURED);
        Events.assertSameEvent(CloudEventMessages.toCloudEvent(m), fullEvent());
    }

    @Test
    void bothModesTravelThroughABrokerUnchanged() {
        CloudEvent minimal = CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t").build();
        CloudEvent binaryData = CloudEventBuilder.v1(fullEvent()).withDataContentType("application/octet-stream")
                .withData(new byte[]{0, (byte) 0xff, 1, 2}).build();
        try (MessagingClient client = Messaging.connect("mem:ce-" + UUID.randomUUID());
             Consumer consumer = client.consumer(ConsumerOptions.builder("events", "g").startPosition(StartPosition.EARLIEST).build());
             Producer producer = client.producer("events")) {
            for (CloudEventMode mode : CloudEventMode.values()) {
                for (CloudEvent e : new CloudEvent[]{fullEvent(), minimal, binaryData}) {
                    producer.send(CloudEventMessages.toMessage(e, mode)).join();
                    Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
                    assertThat(CloudEventMessages.mode(d.message())).contains(mode);
                    Events.assertSameEvent(CloudEventMessages.toCloudEvent(d.message()), e);
                    d.ack().join();
                }
            }
        }
    }

    @Test
    void httpStyleHeadersAnyCaseAreReadToo() {
        // as an HTTP-to-broker bridge (Knative, a gateway) writes binary mode: ce- prefix, header names in any case
        Message m = Message.builder()
                .header("Ce-Specversion", "1.0").header("Ce-Id", "abc").header("ce-source", "/knative/ping")
                .header("CE-TYPE", "dev.knative.sources.ping").header("Content-Type", "text/plain")
                .header("ce-myext", "x").header("unrelated", "not an attribute")
                .payload("ping").build();
        CloudEvent e = CloudEventMessages.toCloudEvent(m);
        assertThat(e.getId()).isEqualTo("abc");
        assertThat(e.getSource()).isEqualTo(URI.create("/knative/ping"));
        assertThat(e.getType()).isEqualTo("dev.knative.sources.ping");
        assertThat(e.getDataContentType()).isEqualTo("text/plain");
        assertThat(e.getExtension("myext")).isEqualTo("x");
        assertThat(e.getExtensionNames()).containsOnly("myext");
        assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("ping");

        Message amqp = Message.builder().header("cloudEvents_specversion", "1.0").header("cloudEvents_id", "a1")
                .header("cloudEvents_source", "/amqp").header("cloudEvents_type", "t").build();
        assertThat(CloudEventMessages.toCloudEvent(amqp).getSource()).isEqualTo(URI.create("/amqp"));
        assertThat(CloudEventMessages.toCloudEvent(amqp).getData()).as("an empty payload is no data").isNull();
    }

    @Test
    void aDaprEnvelopeWithoutContentTypeIsReadAsStructuredJson() {
        // Dapr's pub/sub envelope (its documentation's example), as a broker without a content-type header delivers it
        String dapr = """
                {
                  "topic": "orders",
                  "pubsubname": "orderpubsub",
                  "traceid": "00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01",
                  "tracestate": "",
                  "data": {"orderId": 1},
                  "id": "5929aaac-a5e2-4ca1-859c-edfe73f11565",
                  "specversion": "1.0",
                  "datacontenttype": "application/json; charset=utf-8",
                  "source": "checkout",
                  "type": "com.dapr.event.sent",
                  "time": "2020-09-23T06:23:21Z",
                  "traceparent": "00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01"
                }""";
        Message m = Message.builder().payload(dapr).build();
        assertThat(CloudEventMessages.mode(m)).contains(CloudEventMode.STRUCTURED);
        CloudEvent e = CloudEventMessages.toCloudEvent(m);
        assertThat(e.getId()).isEqualTo("5929aaac-a5e2-4ca1-859c-edfe73f11565");
        assertThat(e.getSource()).isEqualTo(URI.create("checkout"));
        assertThat(e.getType()).isEqualTo("com.dapr.event.sent");
        assertThat(e.getTime()).isEqualTo(OffsetDateTime.parse("2020-09-23T06:23:21Z"));
        assertThat(e.getExtension("pubsubname")).isEqualTo("orderpubsub");
        assertThat(e.getExtension("traceparent")).isEqualTo("00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01");
        assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8).replace(" ", "")).isEqualTo("{\"orderId\":1}");
        // and with Dapr's content type as a header (Kafka, where Dapr sets it)
        Message labelled = m.toBuilder().header("content-type", "application/cloudevents+json; charset=utf-8").build();
        Events.assertSameEvent(CloudEventMessages.toCloudEvent(labelled), e);
    }

    @Test
    void whatIsNoCloudEventIsRefusedSayingWhy() {
        Message plain = Message.builder().payload("{\"hello\":1}").id("m1").build();
        assertThat(CloudEventMessages.isCloudEvent(plain)).isFalse();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(plain)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("with id m1 is not a CloudEvent").hasMessageContaining("no ce_specversion");

        Message json = Message.builder().payload("{\"specversion\":\"1.0\"}").header("content-type", "application/json").build();
        assertThat(CloudEventMessages.isCloudEvent(json)).as("a labelled JSON payload is the producer's data, not sniffed").isFalse();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(json)).hasMessageContaining("content-type 'application/json' is not application/cloudevents");

        Message future = Message.builder().header("ce_specversion", "9.9").header("ce_id", "1").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(future)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("spec version '9.9'").hasMessageContaining("1.0");

        Message noSource = Message.builder().header("ce_specversion", "1.0").header("ce_id", "1").header("ce_type", "t").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(noSource)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("not a valid binary-mode CloudEvent").hasMessageContaining("source");

        Message badTime = CloudEventMessages.toMessage(fullEvent()).toBuilder().header("ce_time", "yesterday").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(badTime)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("time");

        Message batch = Message.builder().header("content-type", "application/cloudevents-batch+json").payload("[]").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(batch)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("batch");

        Message xml = Message.builder().header("content-type", "application/cloudevents+xml").payload("<e/>").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(xml)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("no CloudEvents event format").hasMessageContaining("application/cloudevents+json");

        Message brokenJson = Message.builder().header("content-type", "application/cloudevents+json").payload("{\"specversion\":").build();
        assertThatThrownBy(() -> CloudEventMessages.toCloudEvent(brokenJson)).isInstanceOf(CloudEventFormatException.class)
                .hasMessageContaining("not a valid structured CloudEvent");
        assertThat(new CloudEventFormatException("x").isRetryable()).isFalse();
    }
}
