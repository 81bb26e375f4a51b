package io.anymq.jms;

import io.anymq.Message;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping without a broker, on ActiveMQ's message classes (the brokers' part is in the integration tests). */
class JmsMessagesTest {

    private static Message sample() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("trace-id", "t-1");
        h.put("NOT", "a selector word");
        h.put("emoji", "📨🚀");
        h.put("anymq-dead-letter-reason", "rejected");
        return Message.builder().payload(new byte[]{(byte) 0x80, 0, (byte) 0xFF}).key("ключ-📨").id("id-1")
                .timestamp(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)).headers(h).build();
    }

    @Test
    void everyFieldComesBack() throws Exception {
        Message m = sample();
        ActiveMQBytesMessage jms = (ActiveMQBytesMessage) JmsMessages.fill(new ActiveMQBytesMessage(), m, 2, true);
        assertThat(jms.getStringProperty("trace$002Did")).isEqualTo("t-1");
        assertThat(jms.getStringProperty("$004EOT")).isEqualTo("a selector word");
        assertThat(jms.getIntProperty(JmsMessages.DELIVERIES)).isEqualTo(2);
        assertThat(jms.propertyExists(JmsMessages.BASE64)).isFalse();
        jms.reset();
        Message back = JmsMessages.fromJms(jms);
        assertThat(back.payload()).isEqualTo(m.payload());
        assertThat(back.key()).isEqualTo(m.key());
        assertThat(back.id()).isEqualTo("id-1");
        assertThat(back.timestamp()).isEqualTo(m.timestamp());
        assertThat(back.headers()).isEqualTo(m.headers());
        assertThat(JmsMessages.earlierDeliveries(jms)).isEqualTo(2);
    }

    @Test
    void whereTheBrokerBreaksSupplementaryCharactersTheyTravelAsBase64() throws Exception {
        ActiveMQBytesMessage jms = (ActiveMQBytesMessage) JmsMessages.fill(new ActiveMQBytesMessage(), sample(), 0, false);
        assertThat(jms.getStringProperty("emoji")).isEqualTo(Base64.getEncoder().encodeToString("📨🚀".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(jms.getStringProperty("trace$002Did")).isEqualTo("t-1");
        assertThat(jms.getStringProperty(JmsMessages.BASE64)).isEqualTo("anymq_key,emoji");
        jms.reset();
        Message back = JmsMessages.fromJms(jms);
        assertThat(back.headers()).containsEntry("emoji", "📨🚀");
        assertThat(back.key()).isEqualTo("ключ-📨");
    }

    @Test
    void otherSendersMessages() throws Exception {
        ActiveMQTextMessage text = new ActiveMQTextMessage();
        text.setText("grüß");
        text.setStringProperty("JMSXGroupID", "g-key");
        text.setStringProperty("price$usd", "3");
        text.setIntProperty("count", 7);
        text.setJMSTimestamp(1_700_000_000_000L);
        Message t = JmsMessages.fromJms(text);
        assertThat(t.payloadAsString()).isEqualTo("grüß");
        assertThat(t.key()).isEqualTo("g-key");
        assertThat(t.headers()).containsEntry("price$usd", "3").containsEntry("count", "7").doesNotContainKey("JMSXGroupID");
        assertThat(t.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));

        Message map = JmsMessages.fromJms(new ActiveMQMapMessage());
        assertThat(map.payloadSize()).isZero();
        assertThat(map.headers()).containsEntry(JmsMessages.BODY_TYPE_HEADER, "MapMessage");
    }
}
