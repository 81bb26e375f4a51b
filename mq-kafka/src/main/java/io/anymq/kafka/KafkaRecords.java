package io.anymq.kafka;

import io.anymq.Message;
import io.anymq.spi.ReservedHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A message as a Kafka record: the payload is the value, the key is the record key, the headers are
 * record headers, both byte-exact in both directions (text as UTF-8; bytes that are not UTF-8 and
 * a header without a value (null) are kept as they are, readable with {@code Message.keyBytes()} and
 * {@code headersAsBytes()}); a header name that occurs more than once keeps every value in order
 * ({@code headerValues(name)}, {@code headerFields()}), the timestamp is the record's timestamp and an id the
 * sender gave travels in the reserved header {@code anymq-id}. A record without that header (a
 * message sent without an id, or by a plain client) is named by its position,
 * {@code <topic>-<partition>-<offset>}, which the sender's receipt reports too and which is stable
 * across redeliveries.
 */
final class KafkaRecords {
    private KafkaRecords() {
    }

    static ProducerRecord<byte[], byte[]> toRecord(String topic, Message m) {
        RecordHeaders headers = new RecordHeaders();
        if (m.isText()) {
            for (Map.Entry<String, String> e : m.headers().entrySet()) {
                headers.add(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } else {
            for (Map.Entry<String, byte[]> e : m.headerFields()) { // a name may repeat: every field, in order
                headers.add(e.getKey(), e.getValue());
            }
        }
        if (m.id() != null) {
            headers.add(ReservedHeaders.ID, m.id().getBytes(StandardCharsets.UTF_8));
        }
        byte[] key = m.keyBytes();
        Long timestamp = m.timestamp() == null ? null : m.timestamp().toEpochMilli();
        return new ProducerRecord<>(topic, null, timestamp, key, io.anymq.spi.Payloads.shared(m), headers);
    }

    /** The id of a record that carries none: its position. */
    static String positionId(String topic, int partition, long offset) {
        return io.anymq.spi.PositionIds.of(topic, partition + "-" + offset);
    }

    static Message fromRecord(ConsumerRecord<byte[], byte[]> r) {
        // the deserializer's array is this record's own: taken without a copy
        Message.Builder b = io.anymq.spi.Payloads.adopt(Message.builder(), r.value() == null ? new byte[0] : r.value());
        if (r.key() != null) {
            b.keyBytes(r.key());
        }
        String id = null;
        for (Header h : r.headers()) {
            if (h.key().equals(ReservedHeaders.ID)) {
                id = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            } else {
                b.addHeaderBytes(h.key(), h.value()); // a name a native producer wrote twice keeps both values
            }
        }
        b.id(id != null && !id.isEmpty() ? id : positionId(r.topic(), r.partition(), r.offset()));
        if (r.timestampType() != TimestampType.NO_TIMESTAMP_TYPE && r.timestamp() >= 0) {
            b.timestamp(Instant.ofEpochMilli(r.timestamp()));
        }
        return b.build();
    }
}
