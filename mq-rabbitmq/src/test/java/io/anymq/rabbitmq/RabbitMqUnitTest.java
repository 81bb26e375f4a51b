package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Envelope;
import io.anymq.Capability;
import io.anymq.ConfigurationException;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.MessagingConfig;
import io.anymq.spi.ReservedHeaders;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names, delay buckets, message mapping, delivery counting and settings, without a broker. */
class RabbitMqUnitTest {

    @Test
    void namesAreUnambiguousAndParseBack() {
        assertThat(RabbitMqNames.exchange("orders.eu")).isEqualTo("anymq:orders.eu");
        assertThat(RabbitMqNames.queue("orders.eu", "billing")).isEqualTo("anymq:orders.eu:billing");
        assertThat(RabbitMqNames.topicAndGroupOfQueue("anymq:orders.eu:billing")).containsExactly("orders.eu", "billing");
        assertThat(RabbitMqNames.topicAndGroupOfQueue("anymq:delay:500")).isNull();
        assertThat(RabbitMqNames.topicAndGroupOfQueue("someone-elses")).isNull();
        assertThat(RabbitMqNames.topicOfExchange("anymq:amq.x")).isEqualTo("amq.x");
        assertThat(RabbitMqNames.topicOfExchange("amq.direct")).isNull();
        assertThat(RabbitMqNames.queue("t".repeat(100), "g".repeat(100)).length()).isLessThanOrEqualTo(255);
    }

    @Test
    void delaysRoundUpToTwoSignificantDigits() {
        assertThat(RabbitMqNames.bucket(0)).isEqualTo(1);
        assertThat(RabbitMqNames.bucket(7)).isEqualTo(7);
        assertThat(RabbitMqNames.bucket(99)).isEqualTo(99);
        assertThat(RabbitMqNames.bucket(500)).isEqualTo(500);
        assertThat(RabbitMqNames.bucket(501)).isEqualTo(510);
        assertThat(RabbitMqNames.bucket(1234)).isEqualTo(1300);
        assertThat(RabbitMqNames.bucket(2000)).isEqualTo(2000);
        assertThat(RabbitMqNames.bucket(86_400_001)).isEqualTo(87_000_000);
        for (long ms = 1; ms < 200_000; ms += 37) {
            long b = RabbitMqNames.bucket(ms);
            assertThat(b).isGreaterThanOrEqualTo(ms).isLessThanOrEqualTo(ms + ms / 10 + 1);
        }
    }

    @Test
    void aMessageRoundTripsThroughAmqpProperties() {
        Message m = Message.builder().payload("p").key("ключ").id("id-1").header("greeting", "grüß ✓").header("empty", "")
                .timestamp(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        AMQP.BasicProperties props = RabbitMqMessages.properties(m, 131072);
        assertThat(props.getDeliveryMode()).isEqualTo(2);
        assertThat(props.getMessageId()).isEqualTo("id-1");
        assertThat(RabbitMqMessages.routingKey(m)).isEqualTo("ключ");
        Message back = RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", "ключ"), props, m.payload());
        assertThat(back).isEqualTo(m);
        assertThat(back.headers().keySet()).noneMatch(ReservedHeaders::isReserved);
    }

    @Test
    void headerContentTypeTravelsAsTheContentTypeProperty() {
        Message m = Message.builder().payload("{}").id("id-2").header("ce_id", "1").header("content-type", "application/json")
                .timestamp(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        AMQP.BasicProperties props = RabbitMqMessages.properties(m, 131072);
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getHeaders()).containsKey("ce_id").doesNotContainKey("content-type");
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", ""), props, m.payload())).isEqualTo(m);

        // a plain AMQP client's content_type property is header content-type
        AMQP.BasicProperties plain = new AMQP.BasicProperties.Builder().contentType("text/plain").build();
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", ""), plain, new byte[0]).header("content-type"))
                .isEqualTo("text/plain");
        // another spelling, or a value too long for the property, stays a header
        Message other = Message.builder().payload("p").id("id-3").header("Content-Type", "a/b").timestamp(Instant.ofEpochSecond(5)).build();
        assertThat(RabbitMqMessages.properties(other, 131072).getContentType()).isNull();
        Message longOne = Message.builder().payload("p").id("id-4").header("content-type", "x/" + "y".repeat(300))
                .timestamp(Instant.ofEpochSecond(5)).build();
        AMQP.BasicProperties longProps = RabbitMqMessages.properties(longOne, 131072);
        assertThat(longProps.getContentType()).isNull();
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", ""), longProps, longOne.payload())).isEqualTo(longOne);
    }

    @Test
    void aUlidIdCarriesTheMillisecondsAndAPlainMessageHasNoHeadersTable() {
        // 01ARZ3NDEKTSV4RRFFQ69G5FAV is a ULID of 1469922850259 ms
        Message m = Message.builder().payload("p").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(Instant.ofEpochMilli(1469922850259L)).build();
        AMQP.BasicProperties props = RabbitMqMessages.properties(m, 131072);
        assertThat(props.getHeaders()).isNull();
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", ""), props, m.payload())).isEqualTo(m);

        Message other = Message.builder().payload("p").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(Instant.ofEpochMilli(1469922851259L)).build();
        AMQP.BasicProperties otherProps = RabbitMqMessages.properties(other, 131072);
        assertThat(otherProps.getHeaders()).containsEntry(ReservedHeaders.TIMESTAMP, "1469922851259");
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, false, "anymq:t", ""), otherProps, m.payload())).isEqualTo(other);
    }

    @Test
    void longIdsAndKeysTravelInHeadersAndBadHeadersAreRefused() {
        Message m = Message.builder().payload("p").key("k".repeat(300)).id("i".repeat(300)).timestamp(Instant.EPOCH).build();
        AMQP.BasicProperties props = RabbitMqMessages.properties(m, 131072);
        assertThat(props.getMessageId()).isNull();
        assertThat(RabbitMqMessages.routingKey(m)).isEmpty();
        assertThat(RabbitMqMessages.fromAmqp(null, props, new byte[0])).isEqualTo(Message.builder().payload(new byte[0])
                .key("k".repeat(300)).id("i".repeat(300)).timestamp(Instant.EPOCH).build());
        assertThatThrownBy(() -> RabbitMqMessages.properties(Message.builder().header("n".repeat(256), "v").id("x").timestamp(Instant.EPOCH).build(), 131072))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> RabbitMqMessages.properties(Message.builder().header("n", "v".repeat(140_000)).id("x").timestamp(Instant.EPOCH).build(), 131072))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void nativeMessagesKeepTheirHeadersAsTextAndTheRoutingKeyAsKey() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("n", 42);
        h.put("b", true);
        h.put("table", Map.of("a", 1));
        h.put("x-delivery-count", 2L);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("native").headers(h).build();
        Message m = RabbitMqMessages.fromAmqp(new Envelope(1, true, "anymq:t", "rk"), props, "x".getBytes());
        assertThat(m.key()).isEqualTo("rk");
        assertThat(m.headers()).containsOnly(Map.entry("n", "42"), Map.entry("b", "true"), Map.entry("table", "{\"a\":1}")); // amqp-client keeps headers in a HashMap: no order
        assertThat(RabbitMqMessages.brokerRedeliveries(props)).isEqualTo(2);
        assertThat(RabbitMqMessages.fromAmqp(new Envelope(1, true, "elsewhere", "rk"), props, new byte[0]).key()).isNull();
    }

    @Test
    void everyAmqpFieldTypeArrivesAsItsDocumentedValue() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("s", com.rabbitmq.client.impl.LongStringHelper.asLongString("a\"b"));
        table.put("i", 7);
        table.put("d", new java.math.BigDecimal("1E+3"));
        table.put("t", new java.util.Date(1_700_000_000_000L));
        table.put("v", null);
        table.put("x", new byte[] {(byte) 0xff, 1});
        table.put("nested", List.of(true, 2.5, Map.of()));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("long-string", com.rabbitmq.client.impl.LongStringHelper.asLongString("grüß"));
        h.put("int", 42);
        h.put("long", -7L);
        h.put("short", (short) 3);
        h.put("byte", (byte) -1);
        h.put("float", 1.5f);
        h.put("double", 0.25);
        h.put("bool", false);
        h.put("decimal", new java.math.BigDecimal("12.50"));
        h.put("small-decimal", java.math.BigDecimal.valueOf(1, 9));
        h.put("timestamp", new java.util.Date(1_700_000_000_000L));
        h.put("table", table);
        h.put("array", List.of(1, "two", List.of()));
        h.put("bytes", new byte[] {(byte) 0xfe, 0});
        h.put("void", null);
        Message m = RabbitMqMessages.fromAmqp(null, new AMQP.BasicProperties.Builder().headers(h).build(), new byte[0]);
        Map<String, byte[]> got = m.headersAsBytes();
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(h.keySet());
        assertThat(m.header("long-string")).isEqualTo("grüß");
        assertThat(m.header("int")).isEqualTo("42");
        assertThat(m.header("long")).isEqualTo("-7");
        assertThat(m.header("short")).isEqualTo("3");
        assertThat(m.header("byte")).isEqualTo("-1");
        assertThat(m.header("float")).isEqualTo("1.5");
        assertThat(m.header("double")).isEqualTo("0.25");
        assertThat(m.header("bool")).isEqualTo("false");
        assertThat(m.header("decimal")).isEqualTo("12.50");
        assertThat(m.header("small-decimal")).isEqualTo("0.000000001");
        assertThat(m.header("timestamp")).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(m.header("table")).isEqualTo("{\"s\":\"a\\\"b\",\"i\":7,\"d\":1000,\"t\":\"2023-11-14T22:13:20Z\",\"v\":null,"
                + "\"x\":\"/wE=\",\"nested\":[true,2.5,{}]}");
        assertThat(m.header("array")).isEqualTo("[1,\"two\",[]]");
        assertThat(m.headerBytes("bytes")).isEqualTo(new byte[] {(byte) 0xfe, 0});
        assertThat(got).containsKey("void");
        assertThat(got.get("void")).as("void is a header without a value").isNull();
    }

    @Test
    void aHeaderWithoutValueIsSentAsVoid() {
        Message m = Message.builder().payload("x").id("i").timestamp(Instant.ofEpochMilli(5)).headerBytes("none", (byte[]) null).build();
        AMQP.BasicProperties props = RabbitMqMessages.properties(m, 131072);
        assertThat(props.getHeaders()).containsKey("none");
        assertThat(props.getHeaders().get("none")).isNull();
        assertThat(RabbitMqMessages.fromAmqp(null, props, new byte[0]).headersAsBytes().get("none")).isNull();
    }

    @Test
    void deadLetteredMessagesGetTheSdkHeadersFromXDeath() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("x-death", List.of(
                Map.of("queue", "anymq:delay:500", "reason", "expired", "count", 1L),
                Map.of("queue", "anymq:orders:billing", "reason", "delivery_limit", "count", 1L)));
        Message m = RabbitMqMessages.fromAmqp(null, new AMQP.BasicProperties.Builder().headers(h).build(), new byte[0]);
        assertThat(m.header(ReservedHeaders.DEAD_LETTER_REASON)).isEqualTo("max-deliveries");
        assertThat(m.header(ReservedHeaders.ORIGINAL_TOPIC)).isEqualTo("orders");
        assertThat(m.header(ReservedHeaders.ORIGINAL_GROUP)).isEqualTo("billing");

        Map<String, Object> onlyDelayed = Map.of("x-death", List.of(Map.of("queue", "anymq:delay:500", "reason", "expired")));
        assertThat(RabbitMqMessages.fromAmqp(null, new AMQP.BasicProperties.Builder().headers(onlyDelayed).build(), new byte[0]).headers()).isEmpty();
    }

    @Test
    void deliveriesBeforeADelayCountOnlyInTheirOwnQueue() {
        AMQP.BasicProperties p = new AMQP.BasicProperties.Builder()
                .headers(Map.of(RabbitMqMessages.DELIVERED, "3@anymq:t:g", "x-delivery-count", 1)).build();
        assertThat(RabbitMqMessages.priorDeliveries(p, "anymq:t:g")).isEqualTo(3);
        assertThat(RabbitMqMessages.priorDeliveries(p, "anymq:dlq:g")).isZero();
        assertThat(RabbitMqMessages.headersForResend(p)).doesNotContainKeys(RabbitMqMessages.DELIVERED, "x-delivery-count");
    }

    @Test
    void settingsAreCheckedAndNativeOnesPassThrough() {
        RabbitMqSettings s = RabbitMqSettings.from(MessagingConfig.of("amqps://u:pw@h/vh?tls.truststore-password=secret"));
        assertThat(s.quorum()).isTrue();
        assertThat(s.failUnroutable()).isTrue();
        assertThat(s.tls()).isTrue();
        assertThat(s.toString()).doesNotContain("secret");
        assertThatThrownBy(() -> RabbitMqSettings.from(MessagingConfig.of("amqp://h?queue-type=stream"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RabbitMqSettings.from(MessagingConfig.of("amqp://h?unroutable=maybe"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RabbitMqSettings.from(MessagingConfig.of("amqp://h?max-payload=0"))).isInstanceOf(ConfigurationException.class);

        MessagingConfig c = MessagingConfig.of("amqp://u:pw@h:1234/tenant%2Fa?rabbitmq.connection.heartbeat=9");
        ConnectionFactory cf = RabbitMqConnections.factory(c, RabbitMqSettings.from(c));
        assertThat(cf.getVirtualHost()).isEqualTo("tenant/a");
        assertThat(cf.getUsername()).isEqualTo("u");
        assertThat(cf.getRequestedHeartbeat()).isEqualTo(9);
        assertThat(RabbitMqConnections.virtualHost(MessagingConfig.of("amqp://h").url())).isEqualTo("/");
        assertThat(RabbitMqConnections.virtualHost(MessagingConfig.of("amqp://h/%2F").url())).isEqualTo("/");
        MessagingConfig bad = MessagingConfig.of("amqp://h?rabbitmq.heartbeat=9");
        assertThatThrownBy(() -> RabbitMqConnections.factory(bad, RabbitMqSettings.from(bad))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connection.heartbeat");
    }

    @Test
    void quorumDeclaresTheDeliveryCountClassicDoesNot() {
        RabbitMqProvider p = new RabbitMqProvider();
        assertThat(p.schemes()).containsExactlyInAnyOrder("amqp", "amqps");
        assertThat(p.modes().get(0).capabilities().has(Capability.DELIVERY_COUNT)).isTrue();
        assertThat(p.modes().get(1).capabilities().has(Capability.DELIVERY_COUNT)).isFalse();
        for (var mode : p.modes()) {
            assertThat(mode.capabilities().has(Capability.KEY_ORDERING)).isFalse();
            assertThat(mode.capabilities().has(Capability.REPLAY_FROM_EARLIEST)).isFalse();
        }
    }
}
