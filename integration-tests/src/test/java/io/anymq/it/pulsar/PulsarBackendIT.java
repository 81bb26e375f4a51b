package io.anymq.it.pulsar;

import io.anymq.Capability;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.InvalidNameException;
import io.anymq.MalformedUrlException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.UnsupportedCapabilityException;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.it.HeavyBrokers;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pulsar beyond the suite: interop with a plain pulsar-client both ways, the delivery count across a
 * consumer crash and a broker restart, bad input, and kill -9 in the middle of 10,000 messages in
 * every mode. The broker-killing tests run last.
 */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PulsarBackendIT {
    private Broker broker;
    private String serviceUrl;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.PULSAR);
        serviceUrl = broker.nativeProperties().get("serviceUrl");
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * What the broker says of the restart drill's group: the subscription's stats (consumers and their permits,
     * backlog, messages in replay, draining hashes) and its cursor (mark-delete and read positions), of the
     * topic and of the group's retry topic, as the admin API gives them.
     */
    private String groupState(String topic) {
        StringBuilder out = new StringBuilder();
        for (String t : List.of(topic, topic + "-drill-RETRY")) {
            String base = broker.nativeProperties().get("adminUrl") + "/admin/v2/persistent/public/default/" + t;
            out.append(t).append(": subscriptions ").append(after(get(base + "/stats"), "\"subscriptions\""))
                    .append("; cursors ").append(after(get(base + "/internalStats"), "\"cursors\"")).append(' ');
        }
        return out.toString();
    }

    private static String get(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "(" + url + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static String after(String json, String field) {
        int at = json.indexOf(field);
        return at < 0 ? json : json.substring(at);
    }

    private static String full(String topic) {
        return "persistent://public/default/" + topic;
    }

    /** Every byte value, and sequences that are not UTF-8 (a lone continuation byte, an overlong form, 0xFF). */
    private static byte[] binary() {
        byte[] b = new byte[256 + 4];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        b[256] = (byte) 0x80;
        b[257] = (byte) 0xC0;
        b[258] = (byte) 0xAF;
        b[259] = (byte) 0xFF;
        return b;
    }

    @Test
    @Order(1)
    void interopWithAPlainPulsarClientBothWays() throws Exception {
        String topic = fresh("interop");
        byte[] payload = binary();
        try (MessagingClient client = Messaging.connect(broker.url());
             PulsarClient plain = PulsarClient.builder().serviceUrl(serviceUrl).build()) {
            assertThat(client.unwrap(PulsarClient.class)).isNotNull();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());

            // plain -> anymq: value, key and properties arrive as payload, key and headers; the id is the position
            long eventTime = Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli();
            MessageId sentId;
            try (org.apache.pulsar.client.api.Producer<byte[]> p = plain.newProducer().topic(full(topic)).create()) {
                sentId = p.newMessage().value(payload).key("k1").property("trace", "äbc").property("empty", "").eventTime(eventTime).send();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(d.message().payload()).isEqualTo(payload);
            assertThat(d.message().key()).isEqualTo("k1");
            assertThat(d.message().headers()).containsExactlyInAnyOrderEntriesOf(Map.of("trace", "äbc", "empty", ""));
            assertThat(d.message().id()).isEqualTo(topic + "-" + sentId);
            assertThat(d.message().timestamp()).isEqualTo(Instant.ofEpochMilli(eventTime));
            assertThat(d.deliveryCount()).isEqualTo(1);
            // a nack goes through the retry topic: the message keeps its id, time, key and headers, the count goes up
            d.nack(Duration.ZERO).join();
            Delivery again = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(again.message().id()).isEqualTo(d.message().id());
            assertThat(again.message().timestamp()).isEqualTo(d.message().timestamp());
            assertThat(again.message().key()).isEqualTo("k1");
            assertThat(again.message().headers()).isEqualTo(d.message().headers());
            assertThat(again.message().payload()).isEqualTo(payload);
            assertThat(again.deliveryCount()).isEqualTo(2);
            again.ack().join();

            // anymq -> plain: payload is the value, key the key, headers are properties, the id is the property anymq-id
            Instant at = Instant.parse("2026-03-04T05:06:07.089Z");
            try (org.apache.pulsar.client.api.Consumer<byte[]> reader = plain.newConsumer().topic(full(topic)).subscriptionName(fresh("plain"))
                    .subscriptionType(SubscriptionType.Shared).subscriptionInitialPosition(SubscriptionInitialPosition.Latest).subscribe()) {
                client.producer(topic).send(Message.builder().payload(payload).key("k2").id("id-2").timestamp(at)
                        .header("trace", "xyz").header("ключ", "значение").build()).join();
                org.apache.pulsar.client.api.Message<byte[]> m = reader.receive(20, TimeUnit.SECONDS);
                assertThat(m).as("the anymq message, read by a plain consumer").isNotNull();
                assertThat(m.getValue()).isEqualTo(payload);
                assertThat(m.getKey()).isEqualTo("k2");
                assertThat(m.getProperties()).isEqualTo(Map.of("trace", "xyz", "ключ", "значение", "anymq-id", "id-2"));
                assertThat(m.getEventTime()).isEqualTo(at.toEpochMilli());
                reader.acknowledge(m);
                // without an id: nothing extra travels, the receipt names the message by its position
                String generated = client.producer(topic).send(Message.of("no id")).join().messageId();
                org.apache.pulsar.client.api.Message<byte[]> bare = reader.receive(20, TimeUnit.SECONDS);
                assertThat(bare).isNotNull();
                assertThat(bare.getProperties()).isEmpty();
                assertThat(generated).isEqualTo(topic + "-" + bare.getMessageId());
                reader.acknowledge(bare);
            }
        }
    }

    @Test
    @Order(2)
    void binaryKeysAndHeaderValuesStayByteExactBothWays() throws Exception {
        String topic = fresh("bytes");
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'k'};
        byte[] value = {(byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x00};
        try (MessagingClient client = Messaging.connect(broker.url());
             PulsarClient plain = PulsarClient.builder().serviceUrl(serviceUrl).build()) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            // plain -> anymq: a keyBytes key arrives as its bytes, not as Pulsar's base64 text
            try (org.apache.pulsar.client.api.Producer<byte[]> p = plain.newProducer().topic(full(topic)).create()) {
                p.newMessage().value("native".getBytes(StandardCharsets.UTF_8)).keyBytes(key).send();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(d.message().keyBytes()).isEqualTo(key);
            assertThatThrownBy(() -> d.message().key()).isInstanceOf(io.anymq.BinaryDataException.class);
            // through the retry topic too
            d.nack(Duration.ZERO).join();
            Delivery again = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(again.message().keyBytes()).isEqualTo(key);
            again.ack().join();

            // anymq -> plain: the key is Pulsar's binary key; a header value that is not text is base64, named in anymq-base64
            try (org.apache.pulsar.client.api.Consumer<byte[]> reader = plain.newConsumer().topic(full(topic)).subscriptionName(fresh("plain"))
                    .subscriptionType(SubscriptionType.Shared).subscriptionInitialPosition(SubscriptionInitialPosition.Latest).subscribe()) {
                Message sent = Message.builder().payload("from anymq").keyBytes(key).headerBytes("raw", value).header("text", "grüß")
                        .id("id-bytes").build();
                client.producer(topic).send(sent).join();
                org.apache.pulsar.client.api.Message<byte[]> m = reader.receive(20, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.hasBase64EncodedKey()).isTrue();
                assertThat(m.getKeyBytes()).isEqualTo(key);
                assertThat(java.util.Base64.getDecoder().decode(m.getProperty("raw"))).isEqualTo(value);
                assertThat(m.getProperty("anymq-base64")).isEqualTo("raw");
                assertThat(m.getProperty("text")).isEqualTo("grüß");
                reader.acknowledge(m);
            }
            Delivery own = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(own.message().keyBytes()).isEqualTo(key);
            assertThat(own.message().headerBytes("raw")).isEqualTo(value);
            assertThat(own.message().headersAsBytes().keySet()).containsExactlyInAnyOrder("raw", "text");
            own.ack().join();
        }
    }

    @Test
    @Order(2)
    void aPlainStringMessageReadsAsUtf8Text() throws Exception {
        String topic = fresh("text");
        try (MessagingClient client = Messaging.connect(broker.url());
             PulsarClient plain = PulsarClient.builder().serviceUrl(serviceUrl).build()) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (org.apache.pulsar.client.api.Producer<String> p = plain.newProducer(Schema.STRING).topic(full(topic)).create()) {
                p.send("grüße");
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("grüße");
            assertThat(d.message().key()).isNull();
            d.ack().join();
        }
    }

    /**
     * pulsar-client's own close shuts its IO threads down gracefully and waits for Netty's quiet period (2 s) with
     * nothing left to do: every close of a client took 2.0 s. The module's IO threads end after the close returns.
     */
    @Test
    @Order(2)
    void closingAClientThatSentAndReceivedDoesNotWaitForTheIoThreadsQuietPeriod() {
        String topic = fresh("close");
        MessagingClient client = Messaging.connect(broker.url());
        Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
        client.producer(topic).send(Message.of("m")).join();
        consumer.receive(Duration.ofSeconds(20)).orElseThrow().ack().join();
        long start = System.nanoTime();
        client.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // the bound is below the quiet period every close waited for before, and far above an idle close (10-50 ms)
        assertThat(tookMs).as("client.close() in ms").isLessThan(1_500);
        // and the connection is really gone: the broker no longer sees the group's member
        assertThat(get(broker.nativeProperties().get("adminUrl") + "/admin/v2/persistent/public/default/" + topic + "/stats"))
                .contains("\"subscriptions\"").doesNotContain("\"consumerName\"").doesNotContain("\"producerName\"");
    }

    @Test
    @Order(3)
    void aCrashedMembersMessageComesBackUncounted() {
        String topic = fresh("crash");
        ConsumerOptions options = ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build();
        try (MessagingClient survivor = Messaging.connect(broker.url())) {
            MessagingClient crashing = Messaging.connect(broker.url());
            Consumer doomed = crashing.consumer(options);
            survivor.producer(topic).send(Message.builder().payload("p").id("crash-1").build()).join();
            Delivery held = doomed.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(held.deliveryCount()).isEqualTo(1);
            // the native client goes away without settling anything: what the broker sees when the process dies
            crashing.unwrap(PulsarClient.class).closeAsync().join();
            Consumer other = survivor.consumer(options);
            Delivery again = other.receive(Duration.ofSeconds(30)).orElseThrow();
            assertThat(again.message().id()).isEqualTo("crash-1");
            // the documented gap: the broker counts redeliveries it was asked for (nack, ack timeout), not those after a
            // member's connection went away, and the member could not store a count before it died
            assertThat(again.deliveryCount()).as("the broker does not count a redelivery after a member's crash").isEqualTo(1);
            again.ack().join();
            crashing.close();
        }
    }

    @Test
    @Order(4)
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("pulsar://127.0.0.1:1?connect-timeout=3s")).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("cannot reach Pulsar");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Messaging.connect("pulsar://127.0.0.1:port")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?mode=exclusive")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?pulsar.producer.noSuchSetting=1"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("noSuchSetting").hasMessageContaining("batchingMaxMessages");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?pulsar.consumer.subscriptionName=x"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("set by mq-pulsar");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?pulsar.linger=1")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pulsar.client.");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?tenant=bad/tenant")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tenant");
        try (MessagingClient absent = Messaging.connect(broker.url() + "?namespace=" + fresh("absent"))) {
            long t2 = System.nanoTime();
            assertThatThrownBy(() -> absent.producer("t")).isInstanceOf(ConfigurationException.class).hasMessageContaining("amespace");
            assertThat(Duration.ofNanos(System.nanoTime() - t2)).isLessThan(Duration.ofSeconds(10));
        }
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=1024&pulsar.producer.batchingMaxMessages=10")) {
            assertThatThrownBy(() -> client.producer("bad/topic")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.of("ok", "bad group"))).isInstanceOf(InvalidNameException.class);
            try (Producer p = client.producer(fresh("big"))) {
                assertThatThrownBy(() -> p.send(Message.of(new byte[1025]))).isInstanceOf(MessageTooLargeException.class);
            }
        }
        // a limit set above the broker's own (5 MiB): the broker's refusal is typed too, and nothing hangs
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=20000000");
             Producer p = client.producer(fresh("huge"))) {
            long t1 = System.nanoTime();
            assertThatThrownBy(() -> p.send(Message.of(new byte[6 * 1024 * 1024])).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(MessageTooLargeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(10));
        }
        try (MessagingClient failover = Messaging.connect(broker.url() + "?mode=failover");
             Producer p = failover.producer(fresh("delay"))) {
            assertThat(failover.capabilities().has(Capability.DELAYED_DELIVERY)).isFalse();
            assertThatThrownBy(() -> p.send(Message.builder().payload("x").deliverAt(Instant.now().plusSeconds(5)).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    @Test
    @Order(10)
    void theDeliveryCountOfANackedMessageSurvivesABrokerRestart() {
        String topic = fresh("count-restart");
        ConsumerOptions options = ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build();
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(options);
            client.producer(topic).send(Message.builder().payload("p").id("count-1").build()).join();
            Delivery first = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            first.nack(Duration.ofSeconds(3)).join();
            broker.kill();
            broker.restart();
            // Pulsar persists acks asynchronously: after kill -9 the acked original may come again (count 1), a duplicate
            Delivery again = receiveCount(consumer, 2);
            assertThat(again.message().id()).isEqualTo("count-1");
            again.nack(Duration.ZERO).join();
            Delivery third = receiveCount(consumer, 3);
            assertThat(third.message().id()).isEqualTo("count-1");
            third.ack().join();
        }
    }

    /**
     * A consumer or producer made while Pulsar is away fails, typed, naming what the application asked for: before
     * 2026-12-03 a consumer's failure named "the retry producer of group 'g'", a part of the driver the application
     * never made.
     */
    @Test
    @Order(10)
    void aConsumerOrProducerMadeWhileTheBrokerIsAwayNamesWhatItAskedFor() {
        String topic = fresh("away");
        String url = broker.url() + (broker.url().contains("?") ? "&" : "?") + "operation-timeout=3s";
        try (MessagingClient client = Messaging.connect(url)) {
            client.consumer(topic, "g").close(); // the topic exists: the failure comes from the broker, not the admin
            broker.kill();
            try {
                assertThatThrownBy(() -> client.consumer(topic, "g2")).isInstanceOf(io.anymq.MessagingException.class)
                        .hasMessageStartingWith("Pulsar could not subscribe group 'g2' to '" + topic + "'")
                        .hasMessageNotContaining("producer");
                assertThatThrownBy(() -> client.producer(topic)).isInstanceOf(io.anymq.MessagingException.class)
                        .hasMessageStartingWith("Pulsar could not create a producer for '" + topic + "'");
            } finally {
                broker.restart();
            }
        }
    }

    /** Receives until a delivery with this count comes, acking the others (duplicates of the original after the crash). */
    private static Delivery receiveCount(Consumer consumer, int count) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            java.util.Optional<Delivery> d = consumer.receive(Duration.ofSeconds(1));
            if (d.isPresent()) {
                if (d.get().deliveryCount() == count) {
                    return d.get();
                }
                System.out.println("pulsar: after the broker restart, a duplicate with count " + d.get().deliveryCount());
                assertThat(d.get().deliveryCount()).as("only the acked original may come again").isEqualTo(1);
                d.get().ack().join();
            }
        }
        throw new AssertionError("no delivery with count " + count + " within 60 s");
    }

    @Test
    @Order(11)
    void everyModeSurvivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        for (String mode : List.of("shared", "key_shared", "failover")) {
            String topic = fresh("restart-" + mode);
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(broker, broker.url() + "?mode=" + mode, topic, 10_000,
                    Duration.ofSeconds(5), this::groupState);
            System.out.println("pulsar " + mode + " kill -9: " + r);
            r.assertRecovered("pulsar " + mode + " kill -9");
        }
    }
}
