package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.anymq.Message;
import io.anymq.MessagingConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamEntriesTest {

    @Test
    void aMessageRoundTripsThroughEntryFields() {
        Message m = Message.builder().payload(new byte[]{0, (byte) 0xff, 7}).key("k-ü").id("id-1")
                .timestamp(Instant.ofEpochMilli(1234)).header("trace", "grüß").header("empty", "").build();
        Map<byte[], byte[]> fields = StreamEntries.toFields(m);
        assertThat(StreamEntries.fromFields("orders", "1-0", fields)).isEqualTo(m);
    }

    @Test
    void aMessageSentWithoutIdAndTimestampIsNamedAndTimedByItsEntry() {
        Message m = Message.builder().payload("x").build();
        Map<byte[], byte[]> fields = StreamEntries.toFields(m);
        assertThat(fields).hasSize(1); // the payload only
        Message back = StreamEntries.fromFields("orders", "1700000000000-3", fields);
        assertThat(back.id()).isEqualTo("orders-1700000000000-3");
        assertThat(back.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void entriesWrittenByOtherProgramsGetTheirStreamIdAndKeepUnknownFields() {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put("p".getBytes(StandardCharsets.UTF_8), "body".getBytes(StandardCharsets.UTF_8));
        fields.put("source".getBytes(StandardCharsets.UTF_8), "cron".getBytes(StandardCharsets.UTF_8));
        fields.put("t".getBytes(StandardCharsets.UTF_8), "not-a-number".getBytes(StandardCharsets.UTF_8));
        Message m = StreamEntries.fromFields("orders", "1700000000000-3", fields);
        assertThat(m.id()).isEqualTo("orders-1700000000000-3");
        assertThat(m.payloadAsString()).isEqualTo("body");
        assertThat(m.headers()).containsEntry("source", "cron").containsEntry("t", "not-a-number");
        assertThat(m.key()).isNull();
    }

    @Test
    void keysShareTheTopicsHashTag() {
        assertThat(new String(RedisKeys.stream("orders.eu"), StandardCharsets.UTF_8)).isEqualTo("anymq:{orders.eu}:stream");
    }

    @Test
    void settingsRefuseWhatThisVersionCannotDo() {
        assertThatThrownBy(() -> RedisSettings.from(MessagingConfig.of("redis://h:1?mode=queue"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode=stream").hasMessageContaining("mode=list").hasMessageContaining("mode=zset");
        assertThatThrownBy(() -> RedisSettings.from(MessagingConfig.of("redis://h:1?ack-wait=0s"))).isInstanceOf(ConfigurationException.class);
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1")).mode()).isEqualTo(RedisMode.STREAM);
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1?mode=list")).mode()).isEqualTo(RedisMode.LIST);
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1?mode=ZSET")).mode()).isEqualTo(RedisMode.ZSET);
        assertThatThrownBy(() -> RedisSettings.from(MessagingConfig.of("redis://h:1?max-payload=0"))).isInstanceOf(ConfigurationException.class);
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1")).deadLetterGroup()).isEqualTo("dead-letters");
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1?dead-letter-group=")).deadLetterGroup()).isNull();
        assertThat(RedisSettings.from(MessagingConfig.of("redis://h:1?dead-letter-group=dlq.readers")).deadLetterGroup()).isEqualTo("dlq.readers");
        assertThatThrownBy(() -> RedisSettings.from(MessagingConfig.of("redis://h:1?dead-letter-group=a:b"))).isInstanceOf(ConfigurationException.class);
        RedisSettings s = RedisSettings.from(MessagingConfig.of("redis://h:1?stream.max-length=0&ack-wait=5s"));
        assertThat(s.streamMaxLength()).isZero();
        assertThat(s.defaultAckWait()).hasSeconds(5);
    }
}
