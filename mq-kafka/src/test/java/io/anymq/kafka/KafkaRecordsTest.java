package io.anymq.kafka;

import io.anymq.Message;
import io.anymq.spi.ReservedHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaRecordsTest {

    private static ConsumerRecord<byte[], byte[]> asReceived(ProducerRecord<byte[], byte[]> p, long offset) {
        return new ConsumerRecord<>(p.topic(), 2, offset, p.timestamp(), TimestampType.CREATE_TIME, -1, -1, p.key(), p.value(),
                p.headers(), Optional.empty());
    }

    @Test
    void aMessageRoundTripsThroughARecord() {
        Message m = Message.builder().payload("häy").key("k-ü").header("trace", "a→b").header("empty", "").id("id-1")
                .timestamp(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        ProducerRecord<byte[], byte[]> r = KafkaRecords.toRecord("orders", m);
        assertThat(r.topic()).isEqualTo("orders");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k-ü");
        assertThat(r.timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(new String(r.headers().lastHeader(ReservedHeaders.ID).value(), StandardCharsets.UTF_8)).isEqualTo("id-1");
        Message back = KafkaRecords.fromRecord(asReceived(r, 7));
        assertThat(back.payloadAsString()).isEqualTo("häy");
        assertThat(back.key()).isEqualTo("k-ü");
        assertThat(back.id()).isEqualTo("id-1");
        assertThat(back.timestamp()).isEqualTo(m.timestamp());
        assertThat(back.headers()).containsExactly(java.util.Map.entry("trace", "a→b"), java.util.Map.entry("empty", ""));
    }

    @Test
    void aMessageSentWithoutAnIdCarriesNoneAndIsNamedByItsPosition() {
        Message m = Message.builder().payload("x").timestamp(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        ProducerRecord<byte[], byte[]> r = KafkaRecords.toRecord("orders", m);
        assertThat(r.headers().toArray()).isEmpty();
        assertThat(KafkaRecords.fromRecord(asReceived(r, 7)).id()).isEqualTo(KafkaRecords.positionId("orders", 2, 7)).isEqualTo("orders-2-7");
    }

    @Test
    void aPlainRecordGetsAStableIdFromItsPosition() {
        RecordHeaders h = new RecordHeaders();
        h.add("h", "v".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> plain = new ConsumerRecord<>("t", 3, 42, 5L, TimestampType.LOG_APPEND_TIME, -1, -1, null,
                null, h, Optional.empty());
        Message m = KafkaRecords.fromRecord(plain);
        assertThat(m.id()).isEqualTo("t-3-42");
        assertThat(m.key()).isNull();
        assertThat(m.payloadSize()).isZero();
        assertThat(m.headers()).containsEntry("h", "v");
    }

    @Test
    void keysAndHeaderValuesThatAreNotTextAndNullHeaderValuesSurviveBothWays() {
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28};
        byte[] value = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        RecordHeaders h = new RecordHeaders();
        h.add("raw", value);
        h.add("none", null);
        h.add("text", "grüß".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> plain = new ConsumerRecord<>("t", 0, 1, 5L, TimestampType.CREATE_TIME, -1, -1, key,
                "v".getBytes(StandardCharsets.UTF_8), h, Optional.empty());
        Message m = KafkaRecords.fromRecord(plain);
        assertThat(m.keyBytes()).isEqualTo(key);
        assertThat(m.headersAsBytes().keySet()).containsExactly("raw", "none", "text");
        assertThat(m.headerBytes("raw")).isEqualTo(value);
        assertThat(m.headersAsBytes().get("none")).isNull();
        assertThat(m.header("text")).isEqualTo("grüß");

        ProducerRecord<byte[], byte[]> back = KafkaRecords.toRecord("t", m);
        assertThat(back.key()).isEqualTo(key);
        assertThat(back.headers().lastHeader("raw").value()).isEqualTo(value);
        assertThat(back.headers().lastHeader("none").value()).isNull();
        assertThat(back.headers().lastHeader("text").value()).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHeaderNameWrittenTwiceKeepsBothValuesInOrderBothWays() {
        RecordHeaders h = new RecordHeaders();
        h.add("h", "1".getBytes(StandardCharsets.UTF_8));
        h.add("other", "o".getBytes(StandardCharsets.UTF_8));
        h.add("h", new byte[] {(byte) 0xff});
        ConsumerRecord<byte[], byte[]> plain = new ConsumerRecord<>("t", 0, 1, 5L, TimestampType.CREATE_TIME, -1, -1, null,
                "v".getBytes(StandardCharsets.UTF_8), h, Optional.empty());
        Message m = KafkaRecords.fromRecord(plain);
        assertThat(m.hasRepeatedHeaders()).isTrue();
        assertThat(m.headerValuesAsBytes("h")).containsExactly("1".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff});
        assertThat(m.header("other")).isEqualTo("o");

        ProducerRecord<byte[], byte[]> back = KafkaRecords.toRecord("t", m);
        assertThat(back.headers().toArray()).extracting(org.apache.kafka.common.header.Header::key)
                .containsExactly("h", "other", "h", ReservedHeaders.ID);
        assertThat(back.headers().headers("h")).extracting(org.apache.kafka.common.header.Header::value)
                .containsExactly("1".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff});
    }
}
