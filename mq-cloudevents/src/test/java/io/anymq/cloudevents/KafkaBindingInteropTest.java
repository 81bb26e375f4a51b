package io.anymq.cloudevents;

import io.anymq.Message;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The CloudEvents SDK's own Kafka binding on the other side, without a broker: its serializer's
 * headers and bytes, taken as mq-kafka delivers a record (header values as UTF-8 text), are read by
 * {@link CloudEventMessages}; and what {@link CloudEventMessages} writes, put in a record the way
 * mq-kafka sends it, is read by the SDK's deserializer. (integration-tests' CloudEventsKafkaIT does
 * the same through a real Kafka.)
 */
class KafkaBindingInteropTest {

    private static CloudEvent[] events() {
        return new CloudEvent[]{
                CloudEventMessagesTest.fullEvent(),
                CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t").build(),
                CloudEventBuilder.v1().withId("2").withSource(URI.create("urn:x")).withType("t")
                        .withDataContentType("application/octet-stream").withData(new byte[]{0, 1, (byte) 0xfe}).build(),
                CloudEventBuilder.v03().withId("3").withSource(URI.create("/v03")).withType("old").withData("text/plain",
                        "hi".getBytes(StandardCharsets.UTF_8)).build()};
    }

    @Test
    void eventsFromTheSdksKafkaSerializerAreReadUnchanged() {
        for (Encoding encoding : new Encoding[]{Encoding.BINARY, Encoding.STRUCTURED}) {
            try (CloudEventSerializer serializer = new CloudEventSerializer()) {
                serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                        CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
                for (CloudEvent event : events()) {
                    RecordHeaders headers = new RecordHeaders();
                    byte[] value = serializer.serialize("events", headers, event);
                    // an event without data is a record without value; mq-kafka reads that as an empty payload
                    Message.Builder received = Message.builder().payload(value == null ? new byte[0] : value);
                    for (Header h : headers) {
                        received.header(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                    Events.assertSameEvent(CloudEventMessages.toCloudEvent(received.build()), event);
                }
            }
        }
    }

    @Test
    void whatThisModuleWritesIsReadByTheSdksKafkaDeserializer() {
        for (CloudEventMode mode : CloudEventMode.values()) {
            try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
                deserializer.configure(Map.of(), false);
                for (CloudEvent event : events()) {
                    Message m = CloudEventMessages.toMessage(event, mode);
                    RecordHeaders headers = new RecordHeaders();
                    m.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
                    Events.assertSameEvent(deserializer.deserialize("events", headers, m.payload()), event);
                }
            }
        }
    }
}
