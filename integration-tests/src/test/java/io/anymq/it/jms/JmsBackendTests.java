package io.anymq.it.jms;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.MalformedUrlException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.FreePorts;
import io.anymq.harness.junit.TestBrokers;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every JMS dialect must show against its real broker beyond the suite: interop both ways
 * with the plain JMS client of the broker (payload byte-exact, key, headers with escaped names),
 * credentials, and bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class JmsBackendTests {
    /** Bytes that are not UTF-8 (a lone continuation byte, 0xFF, 0xC0), and every other byte value. */
    static final byte[] NOT_UTF8;

    static {
        NOT_UTF8 = new byte[259];
        NOT_UTF8[0] = (byte) 0x80;
        NOT_UTF8[1] = (byte) 0xFF;
        NOT_UTF8[2] = (byte) 0xC0;
        for (int i = 0; i < 256; i++) {
            NOT_UTF8[3 + i] = (byte) i;
        }
    }

    Broker broker;

    abstract BrokerKind kind();

    /** The plain JMS client's factory for the broker. */
    abstract ConnectionFactory nativeFactory(Broker broker);

    /** Where a plain JMS producer sends so that anymq's groups of the topic get it. */
    abstract jakarta.jms.Destination nativeTopic(Session session, String topic) throws Exception;

    /** A plain JMS consumer on anymq's group (it competes with anymq's members). */
    abstract MessageConsumer nativeGroupMember(Session session, String topic, String group) throws Exception;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(kind());
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static String fresh(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1).substring(0, 8);
    }

    /**
     * Messages of the maximum size, nacked with a delay (kept by the broker for their resend), all come again. The
     * harness ran ActiveMQ Classic with 256 MB of heap under BrokerService's 1 GB memory limit: three such messages ran
     * it out of heap, and it shut itself down.
     */
    @Test
    void nackedMessagesOfTheMaximumSizeAllComeAgain() throws Exception {
        String topic = fresh("max-nack");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(topic, "g");
            Producer producer = client.producer(topic);
            byte[] body = new byte[(int) client.capabilities().maxPayloadBytes()];
            for (int i = 0; i < 3; i++) {
                producer.send(Message.builder().payload(body).header("n", Integer.toString(i)).build()).join();
            }
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow(
                        () -> new AssertionError("nothing within 30 s; received so far " + counts + ", health " + client.health()));
                assertThat(d.message().payloadSize()).isEqualTo(body.length);
                counts.merge(d.message().header("n"), 1, Integer::sum);
                if (d.deliveryCount() == 1) {
                    d.nack(Duration.ofSeconds(1)).join();
                } else {
                    d.ack().join();
                }
            }
            assertThat(counts).containsOnly(Map.entry("0", 2), Map.entry("1", 2), Map.entry("2", 2));
            assertThat(client.health().usable()).isTrue();
        }
    }

    @Test
    void whatThePlainClientSendsArrivesWithPayloadKeyAndHeaders() throws Exception {
        String topic = fresh("from-native");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(topic, "g");
            try (Connection c = nativeFactory(broker).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(nativeTopic(s, topic));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                BytesMessage bytes = s.createBytesMessage();
                bytes.writeBytes(NOT_UTF8);
                bytes.setStringProperty("anymq_key", "customer-7");
                bytes.setStringProperty("trace", "a1");
                bytes.setStringProperty("content$002Dtype", "application/x-raw");
                p.send(bytes);
                jakarta.jms.TextMessage text = s.createTextMessage("grüß ✓");
                text.setStringProperty("JMSXGroupID", "group-key");
                p.send(text);
                p.send(s.createMapMessage());
            }
            Delivery first = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(first.message().payload()).isEqualTo(NOT_UTF8);
            assertThat(first.message().key()).isEqualTo("customer-7");
            assertThat(first.message().headers()).containsEntry("trace", "a1").containsEntry("content-type", "application/x-raw");
            assertThat(first.message().headers().keySet()).noneMatch(n -> n.startsWith("JMS") || n.startsWith("anymq"));
            assertThat(first.message().id()).startsWith("ID:");
            assertThat(first.deliveryCount()).isEqualTo(1);
            first.ack().join();
            Delivery second = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(second.message().payloadAsString()).isEqualTo("grüß ✓");
            assertThat(second.message().key()).isEqualTo("group-key");
            second.ack().join();
            Delivery third = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(third.message().payloadSize()).isZero();
            assertThat(third.message().headers()).containsEntry("jms-body-type", "MapMessage");
            third.ack().join();
            assertThat(consumer.receive(Duration.ofMillis(500))).isEmpty();
        }
    }

    @Test
    void whatAnymqSendsIsReadByThePlainClientWhereTheReadmeSays() throws Exception {
        String topic = fresh("to-native");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            client.consumer(topic, "native").close(); // the group exists before the send
            Message sent = Message.builder().payload(NOT_UTF8).key("k-1").id("my-id").header("trace", "a1")
                    .header("content-type", "text/x").header("NOT", "reserved word").build();
            try (Producer p = client.producer(topic)) {
                p.send(sent).join();
            }
            try (Connection c = nativeFactory(broker).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer mc = nativeGroupMember(s, topic, "native");
                jakarta.jms.Message got = mc.receive(10_000);
                assertThat(got).isInstanceOf(BytesMessage.class);
                BytesMessage bm = (BytesMessage) got;
                byte[] body = new byte[(int) bm.getBodyLength()];
                bm.readBytes(body);
                assertThat(body).isEqualTo(NOT_UTF8);
                assertThat(got.getStringProperty("anymq_key")).isEqualTo("k-1");
                assertThat(got.getStringProperty("anymq_id")).isEqualTo("my-id");
                assertThat(got.getLongProperty("anymq_timestamp")).isPositive();
                assertThat(got.getStringProperty("trace")).isEqualTo("a1");
                assertThat(got.getStringProperty("content$002Dtype")).isEqualTo("text/x");
                assertThat(got.getStringProperty("$004EOT")).isEqualTo("reserved word");
                assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
                got.acknowledge();
            }
        }
    }

    @Test
    void nativeClientIsReachable() {
        try (MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.unwrap(ConnectionFactory.class)).isNotNull();
            assertThat(client.unwrap(Connection.class)).isNotNull();
        }
    }

    @Test
    void rightAndWrongCredentials() {
        try (Broker secured = TestBrokers.provide(kind(), BrokerOptions.defaults().withUser("app", "s3cret"))) {
            String base = kind().id() + "://app:s3cret@127.0.0.1:" + secured.port();
            try (MessagingClient client = Messaging.connect(base)) {
                String topic = fresh("auth");
                Consumer c = client.consumer(topic, "g");
                client.producer(topic).send("with credentials").join();
                assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("with credentials");
                assertThat(client.toString()).doesNotContain("s3cret");
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect(kind().id() + "://app:wrong-pw@127.0.0.1:" + secured.port()))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((MessagingException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThatThrownBy(() -> Messaging.connect(kind().id() + "://127.0.0.1:" + secured.port()))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void tlsWorksEndToEndAndAnUntrustedCertificateIsAFastTypedError() {
        try (Broker secured = TestBrokers.provide(kind(), BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            Map<String, String> p = secured.nativeProperties();
            String tlsBase = kind().id() + "+ssl://app:s3cret@127.0.0.1:" + p.get("tls.port");
            String trust = "?tls.truststore=" + p.get("truststore.path") + "&tls.truststore-password=" + p.get("truststore.password");
            try (MessagingClient client = Messaging.connect(tlsBase + trust)) {
                String topic = fresh("tls");
                Consumer c = client.consumer(topic, "g");
                client.producer(topic).send("over tls").join();
                Delivery d = c.receive(Duration.ofSeconds(10)).orElseThrow();
                assertThat(d.message().payloadAsString()).isEqualTo("over tls");
                d.ack().join();
                assertThat(client.toString()).doesNotContain("s3cret").doesNotContain(p.get("truststore.password"))
                        .contains(kind().id() + "+ssl://");
            }
            // the JVM's default trust store does not trust the generated certificate: typed, not retryable, fast, no secret
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect(tlsBase))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((MessagingException) e).isRetryable()).isFalse())
                    .hasMessageContaining("TLS")
                    .hasMessageNotContaining("s3cret");
            // a trust store of other certificates: the same, and it names the store
            java.nio.file.Path other = otherTrustStore();
            assertThatThrownBy(() -> Messaging.connect(tlsBase + "?tls.truststore=" + other + "&tls.truststore-password=changeit"))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining(other.toString())
                    .hasMessageNotContaining("changeit");
            // wrong credentials over TLS: the broker's refusal, typed and not retryable
            assertThatThrownBy(() -> Messaging.connect(kind().id() + "+ssl://app:wrong-pw@127.0.0.1:" + p.get("tls.port") + trust))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageNotContaining("wrong-pw");
            // a trust store without TLS is a configuration error
            assertThatThrownBy(() -> Messaging.connect(secured.url() + trust)).isInstanceOf(ConfigurationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }
    }

    /** A copy of the JDK's own trust store (public CAs, password {@code changeit}): it trusts many, but not the generated certificate. */
    private static java.nio.file.Path otherTrustStore() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("anymq-other-trust", ".jks");
            java.nio.file.Files.copy(java.nio.file.Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"), file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anUnreachableBrokerIsAFastConnectionError() {
        int nobody = FreePorts.next();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect(kind().id() + "://127.0.0.1:" + nobody))
                .isInstanceOf(ConnectionException.class).isNotInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(((MessagingException) e).isRetryable()).isTrue());
        // a black-holed address: bounded by connect-timeout
        assertThatThrownBy(() -> Messaging.connect(kind().id() + "://10.255.255.1:61616?connect-timeout=1s"))
                .isInstanceOf(MessagingException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void badInputIsATypedError() {
        assertThatThrownBy(() -> Messaging.connect(kind().id() + "://127.0.0.1:notaport")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?" + kind().id() + ".noSuchSetting=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(kind().id() + ".noSuchSetting")
                .hasMessageContaining("known:");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?scheduler=sometimes")).isInstanceOf(ConfigurationException.class);
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=1024"); Producer p = client.producer(fresh("big"))) {
            assertThat(client.capabilities().maxPayloadBytes()).isEqualTo(1024);
            assertThatThrownBy(() -> p.send(Message.of(new byte[1025]))).isInstanceOf(MessageTooLargeException.class);
            p.send(Message.of(new byte[1024])).join();
        }
    }

    @Test
    void withoutABrokerSchedulerDelaysAreRefusedNotIgnored() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?scheduler=off")) {
            assertThat(client.capabilities().has(io.anymq.Capability.DELAYED_DELIVERY)).isFalse();
            assertThat(client.capabilities().has(io.anymq.Capability.NACK_REDELIVERY)).isFalse();
            assertThat(client.capabilities().has(io.anymq.Capability.ACK_TIMEOUT)).isTrue();
            String topic = fresh("nosched");
            client.consumer(topic, "g").close();
            try (Producer p = client.producer(topic)) {
                assertThatThrownBy(() -> p.send(Message.builder().payload("later").deliverAt(java.time.Instant.now().plusSeconds(5)).build()))
                        .isInstanceOf(io.anymq.UnsupportedCapabilityException.class);
            }
        }
        try (MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.capabilities().has(io.anymq.Capability.DELAYED_DELIVERY)).as("scheduler=auto on the harness broker").isTrue();
        }
    }

    @Test
    void nativeSettingsPassThrough() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?" + kind().id() + "." + aNativeSetting())) {
            assertThat(client.unwrap(ConnectionFactory.class)).satisfies(this::checkNativeSetting);
        }
    }

    /** A {@code name=value} native setting of the dialect's factory. */
    abstract String aNativeSetting();

    abstract void checkNativeSetting(ConnectionFactory factory);

    Map<String, String> nativeProperties() {
        return broker.nativeProperties();
    }
}
