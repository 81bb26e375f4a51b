package io.anymq.it.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.InvalidMessageException;
import io.anymq.InvalidNameException;
import io.anymq.MalformedUrlException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.rabbitmq.UnroutableMessageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RabbitMQ beyond the suite: interop with plain amqp-client, unroutable sends, bad input, native settings, credentials, vhosts, TLS. */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitMqBackendIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.RABBITMQ);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The next message of a native queue, by basic.get with auto-ack (within 5 s); an AssertionError when none came. */
    static GetResponse getOne(Channel ch, String queue) throws Exception {
        for (int i = 0; i < 100; i++) {
            GetResponse r = ch.basicGet(queue, true);
            if (r != null) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no message in queue " + queue + " within 5 s");
    }

    /** A plain amqp-client factory for the broker (also CloudEventsRabbitMqIT's). */
    static ConnectionFactory nativeFactory(Broker b) {
        ConnectionFactory cf = new ConnectionFactory();
        cf.setHost(b.host());
        cf.setPort(b.port());
        cf.setUsername(b.nativeProperties().get("user"));
        cf.setPassword(b.nativeProperties().get("password"));
        return cf;
    }

    @Test
    void interopWithPlainAmqpClientBothWays() throws Exception {
        String topic = fresh("interop");
        String exchange = "anymq:" + topic;
        try (Connection nc = nativeFactory(broker).newConnection("native"); MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.unwrap(Connection.class)).isNotNull();
            assertThat(client.unwrap(ConnectionFactory.class).getVirtualHost()).isEqualTo("/");
            Channel ch = nc.createChannel();
            // native -> anymq: the routing key is the key, message-id the id, string-like headers stay headers
            Consumer consumer = client.consumer(topic, "g");
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("trace", "abc");
            headers.put("attempt", 3);
            headers.put("unicode", "grüß ✓");
            ch.basicPublish(exchange, "k1", new AMQP.BasicProperties.Builder().messageId("native-1").headers(headers).build(),
                    "from amqp-client".getBytes(StandardCharsets.UTF_8));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from amqp-client");
            assertThat(d.message().key()).isEqualTo("k1");
            assertThat(d.message().id()).isEqualTo("native-1");
            assertThat(d.message().headers()).containsEntry("trace", "abc").containsEntry("attempt", "3").containsEntry("unicode", "grüß ✓");
            assertThat(d.deliveryCount()).isEqualTo(1);
            d.ack().join();

            // anymq -> native: a queue of the native client's own bound to the topic's exchange
            String own = ch.queueDeclare("native-" + topic, true, false, false, Map.of("x-queue-type", "quorum")).getQueue();
            ch.queueBind(own, exchange, "");
            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("from anymq").key("k2").id("id-2").header("trace", "xyz").header("ключ", "значение").build()).join();
            }
            GetResponse r = getOne(ch, own);
            assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("from anymq");
            assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("k2");
            assertThat(r.getProps().getMessageId()).isEqualTo("id-2");
            assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(r.getProps().getTimestamp()).isNotNull();
            Map<String, Object> got = r.getProps().getHeaders();
            assertThat(text(got.get("trace"))).isEqualTo("xyz");
            assertThat(text(got.get("ключ"))).isEqualTo("значение");
            assertThat(text(got.get("anymq-key"))).isEqualTo("k2");
            ch.queueDelete(own);
        }
    }

    @Test
    void keysAndHeaderValuesThatAreNotTextStayByteExactBothWays() throws Exception {
        String topic = fresh("bytes");
        String exchange = "anymq:" + topic;
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'k'};
        byte[] value = {(byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x00};
        try (Connection nc = nativeFactory(broker).newConnection("native"); MessagingClient client = Messaging.connect(broker.url())) {
            Channel ch = nc.createChannel();
            Consumer consumer = client.consumer(topic, "g");
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("raw", value); // an AMQP byte array
            headers.put("long", com.rabbitmq.client.impl.LongStringHelper.asLongString(value)); // a long string that is not UTF-8
            headers.put("text", "grüß");
            headers.put("anymq-key", key);
            ch.basicPublish(exchange, "", new AMQP.BasicProperties.Builder().messageId("native-bytes").headers(headers).build(),
                    "native".getBytes(StandardCharsets.UTF_8));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            Message got = d.message();
            assertThat(got.keyBytes()).isEqualTo(key);
            assertThat(got.headerBytes("raw")).isEqualTo(value);
            assertThat(got.headerBytes("long")).isEqualTo(value);
            assertThat(got.header("text")).isEqualTo("grüß");
            assertThatThrownBy(() -> got.header("raw")).isInstanceOf(io.anymq.BinaryDataException.class);
            d.ack().join();

            String own = ch.queueDeclare("native-" + topic, true, false, false, Map.of("x-queue-type", "quorum")).getQueue();
            ch.queueBind(own, exchange, "");
            try (Producer p = client.producer(topic)) {
                p.send(got.toBuilder().id("id-bytes").build()).join();
            }
            GetResponse r = getOne(ch, own);
            Map<String, Object> sent = r.getProps().getHeaders();
            assertThat(bytesOf(sent.get("raw"))).isEqualTo(value);
            assertThat(bytesOf(sent.get("long"))).isEqualTo(value);
            assertThat(bytesOf(sent.get("anymq-key"))).isEqualTo(key);
            assertThat(text(sent.get("text"))).isEqualTo("grüß");
            ch.queueDelete(own);
        }
    }

    @Test
    void everyAmqpFieldTypeANativeClientWritesArrivesAsDocumented() throws Exception {
        String topic = fresh("types");
        String exchange = "anymq:" + topic;
        try (Connection nc = nativeFactory(broker).newConnection("native"); MessagingClient client = Messaging.connect(broker.url())) {
            Channel ch = nc.createChannel();
            Consumer consumer = client.consumer(topic, "g");
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("long-string", "grüß");
            headers.put("int", 42);
            headers.put("long", 1L << 40);
            headers.put("bool", true);
            headers.put("decimal", new java.math.BigDecimal("12.50"));
            headers.put("timestamp", new java.util.Date(1_700_000_000_000L));
            headers.put("table", Map.of("k", "v"));
            headers.put("array", List.of(1, "two", false));
            headers.put("bytes", new byte[] {(byte) 0xfe, 0x00});
            headers.put("void", null);
            ch.basicPublish(exchange, "", new AMQP.BasicProperties.Builder().messageId("native-types").headers(headers).build(),
                    "native".getBytes(StandardCharsets.UTF_8));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            Message got = d.message();
            assertThat(got.headersAsBytes().keySet()).as("no header is left out")
                    .containsExactlyInAnyOrderElementsOf(headers.keySet());
            assertThat(got.header("long-string")).isEqualTo("grüß");
            assertThat(got.header("int")).isEqualTo("42");
            assertThat(got.header("long")).isEqualTo("1099511627776");
            assertThat(got.header("bool")).isEqualTo("true");
            assertThat(got.header("decimal")).isEqualTo("12.50");
            assertThat(got.header("timestamp")).isEqualTo("2023-11-14T22:13:20Z");
            assertThat(got.header("table")).isEqualTo("{\"k\":\"v\"}");
            assertThat(got.header("array")).isEqualTo("[1,\"two\",false]");
            assertThat(got.headerBytes("bytes")).isEqualTo(new byte[] {(byte) 0xfe, 0x00});
            assertThat(got.headersAsBytes().get("void")).as("void is a header without a value").isNull();
            d.ack().join();

            // a header without a value goes back as void
            String own = ch.queueDeclare("native-" + topic, true, false, false, Map.of("x-queue-type", "quorum")).getQueue();
            ch.queueBind(own, exchange, "");
            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("x").headerBytes("none", (byte[]) null).id("id-void").build()).join();
            }
            GetResponse r = getOne(ch, own);
            assertThat(r.getProps().getHeaders()).containsKey("none");
            assertThat(r.getProps().getHeaders().get("none")).isNull();
            ch.queueDelete(own);
        }
    }

    private static byte[] bytesOf(Object o) {
        return o instanceof LongString ls ? ls.getBytes() : (byte[]) o;
    }

    private static String text(Object o) {
        return o instanceof LongString ls ? new String(ls.getBytes(), StandardCharsets.UTF_8) : String.valueOf(o);
    }

    @Test
    void aSendNoGroupCanReceiveFailsByDefaultAndCompletesWithUnroutableAccept() {
        String topic = fresh("unroutable");
        try (MessagingClient client = Messaging.connect(broker.url()); Producer p = client.producer(topic)) {
            assertThatThrownBy(() -> p.send("nobody listens").join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(UnroutableMessageException.class)
                    .satisfies(e -> assertThat(((MessagingException) e).isRetryable()).isTrue());
            Consumer c = client.consumer(topic, "g");
            p.send("now someone does").join();
            assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("now someone does");
        }
        try (MessagingClient client = Messaging.connect(broker.url() + "?unroutable=accept"); Producer p = client.producer(fresh("accept"))) {
            p.send("dropped, as on a topic without subscribers").join();
        }
    }

    @Test
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("amqp://127.0.0.1:1")).isInstanceOf(ConnectionException.class);
        assertThatThrownBy(() -> Messaging.connect("amqp://10.255.255.1:5672?connect-timeout=1s")).isInstanceOf(ConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Messaging.connect("amqp://127.0.0.1:port")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?queue-type=stream")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("queue-type");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?rabbitmq.no.such.setting=1")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rabbitmq.no.such.setting");
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=1024")) {
            assertThatThrownBy(() -> client.producer("bad:topic")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> client.consumer("ok", "amq.group with space")).isInstanceOf(InvalidNameException.class);
            String topic = fresh("big");
            client.consumer(topic, "g");
            try (Producer p = client.producer(topic)) {
                assertThatThrownBy(() -> p.send(Message.of(new byte[1025]))).isInstanceOf(MessageTooLargeException.class);
                assertThatThrownBy(() -> p.send(Message.builder().payload("x").header("h".repeat(300), "v").build()))
                        .isInstanceOf(InvalidMessageException.class);
                assertThatThrownBy(() -> p.send(Message.builder().payload("x").header("big", "v".repeat(200_000)).build()))
                        .isInstanceOf(InvalidMessageException.class);
                p.send(Message.builder().payload("still fine").id("i".repeat(300)).build()).join(); // long ids travel in a header
            }
            // a group's queue arguments are fixed when it is made
            String t2 = fresh("args");
            client.consumer(ConsumerOptions.builder(t2, "g").deadLetterTopic(t2 + "-dlq").build()).close();
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder(t2, "g").deadLetterTopic(t2 + "-other").build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("arguments");
            client.producer(t2).send("the client still works").join();
        }
    }

    @Test
    void nativeSettingsPassThroughAndSecretsStayHidden() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?rabbitmq.connection.heartbeat=7&rabbitmq.client.properties.app=tests")) {
            ConnectionFactory cf = client.unwrap(ConnectionFactory.class);
            assertThat(cf.getRequestedHeartbeat()).isEqualTo(7);
            assertThat(cf.getClientProperties()).containsEntry("app", "tests");
            assertThat(client.toString()).doesNotContain(broker.nativeProperties().get("password") + "@");
        }
    }

    @Test
    void usersVirtualHostsAndTls() throws Exception {
        try (Broker secured = TestBrokers.provide(BrokerKind.RABBITMQ, BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            String base = "amqp://app:s3cret@127.0.0.1:" + secured.port();
            // TLS with the certificate generated for this node
            String trust = "?tls.truststore=" + secured.nativeProperties().get("truststore.path")
                    + "&tls.truststore-password=" + secured.nativeProperties().get("truststore.password");
            String tlsUrl = "amqps://app:s3cret@127.0.0.1:" + secured.nativeProperties().get("tls.port") + "/" + trust;
            try (MessagingClient client = Messaging.connect(tlsUrl)) {
                String topic = fresh("tls");
                Consumer c = client.consumer(topic, "g");
                client.producer(topic).send("over tls").join();
                assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("over tls");
                assertThat(client.toString()).doesNotContain("s3cret");
            }
            // an untrusted certificate is a connection error, not a hang
            assertThatThrownBy(() -> Messaging.connect("amqps://app:s3cret@127.0.0.1:" + secured.nativeProperties().get("tls.port")))
                    .isInstanceOf(ConnectionException.class);

            // wrong credentials: typed, not retryable, fast, and the password is not in the message
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect("amqp://app:wrong-pw@127.0.0.1:" + secured.port()))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(() -> Messaging.connect(base + "/no-such-vhost")).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("no-such-vhost");

            // a second virtual host: the same topic and group names there are other objects
            ctl(secured, "add_vhost", "tenant-b");
            ctl(secured, "set_permissions", "-p", "tenant-b", "app", ".*", ".*", ".*");
            String topic = fresh("vhost");
            try (MessagingClient a = Messaging.connect(base + "/"); MessagingClient b = Messaging.connect(base + "/tenant-b")) {
                Consumer ca = a.consumer(topic, "g");
                Consumer cb = b.consumer(topic, "g");
                a.producer(topic).send("for a").join();
                b.producer(topic).send("for b").join();
                assertThat(ca.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("for a");
                assertThat(cb.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("for b");
                assertThat(ca.receive(Duration.ofMillis(500))).isEmpty();
                assertThat(cb.receive(Duration.ofMillis(500))).isEmpty();
            }
        }
    }

    @Test
    void aNackDelayAndADelayedMessageAreKeptByTheBrokerNotTheClient() throws Exception {
        String topic = fresh("delays");
        ConsumerOptions options = ConsumerOptions.builder(topic, "g").build();
        MessagingClient crashing = Messaging.connect(broker.url());
        Consumer c = crashing.consumer(options); // the group exists
        crashing.producer(topic).send(Message.builder().payload("nacked").id("n-1").build()).join();
        crashing.producer(topic).send(Message.builder().payload("delayed").id("d-1")
                .deliverAt(java.time.Instant.now().plusSeconds(2)).build()).join();
        Delivery d = c.receive(Duration.ofSeconds(10)).orElseThrow();
        assertThat(d.message().id()).isEqualTo("n-1");
        long nackedAt = System.nanoTime();
        d.nack(Duration.ofSeconds(2)).join();
        crashing.unwrap(Connection.class).abort(); // the client dies without closing anything
        crashing.close();

        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer after = client.consumer(options);
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (got.size() < 2 && System.nanoTime() < deadline) {
                after.receive(Duration.ofMillis(500)).ifPresent(x -> {
                    got.add(x.message().id() + "#" + x.deliveryCount());
                    x.ack();
                });
            }
            assertThat(Duration.ofNanos(System.nanoTime() - nackedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(got).containsExactlyInAnyOrder("n-1#2", "d-1#1");
        }
    }

    @Test
    void aMessageExhaustedByDelayedNacksGoesToTheDeadLetterTopicWithTheSdkHeaders() {
        String topic = fresh("exhaust");
        String dlq = topic + "-dlq";
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer dead = client.consumer(dlq, "reader");
            Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").maxDeliveries(2).deadLetterTopic(dlq).build());
            client.producer(topic).send(Message.builder().payload("flaky").id("x-1").build()).join();
            Delivery first = c.receive(Duration.ofSeconds(10)).orElseThrow();
            first.nack(Duration.ofMillis(200)).join();
            Delivery second = c.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(second.deliveryCount()).isEqualTo(2);
            second.nack(Duration.ofMillis(200)).join(); // RabbitMQ did not count the delayed one: the driver dead-letters it
            Delivery d = dead.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().id()).isEqualTo("x-1");
            assertThat(d.message().headers()).containsEntry("anymq-dead-letter-reason", "max-deliveries")
                    .containsEntry("anymq-original-topic", topic).containsEntry("anymq-original-group", "g")
                    .containsEntry("anymq-delivery-count", "2");
            assertThat(d.deliveryCount()).isEqualTo(1);
            d.ack();
            assertThat(c.receive(Duration.ofSeconds(1))).isEmpty();

            // one delivery allowed: the queue's delivery limit is 0, and a plain nack dead-letters at once
            String t1 = fresh("once");
            Consumer once = client.consumer(ConsumerOptions.builder(t1, "g").maxDeliveries(1).deadLetterTopic(dlq).build());
            client.producer(t1).send(Message.builder().payload("once").id("o-1").build()).join();
            once.receive(Duration.ofSeconds(10)).orElseThrow().nack(Duration.ZERO).join();
            Delivery o = dead.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(o.message().id()).isEqualTo("o-1");
            assertThat(o.message().header("anymq-dead-letter-reason")).isEqualTo("max-deliveries");
            assertThat(once.receive(Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void aConsumerWhoseQueueIsDeletedFailsInsteadOfWaitingForEver() throws Exception {
        String topic = fresh("deleted");
        try (MessagingClient client = Messaging.connect(broker.url()); Connection nc = nativeFactory(broker).newConnection("native")) {
            Consumer c = client.consumer(topic, "g");
            Channel ch = nc.createChannel();
            ch.queueDelete("anymq:" + topic + ":g");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.receive(Duration.ofSeconds(30))).isInstanceOf(MessagingException.class)
                    .hasMessageContaining("cancelled");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            c.close();
        }
    }

    /**
     * RabbitMQ closes the channel of a consumer that keeps a delivery unacknowledged past its consumer_timeout (30 minutes
     * by default; here 3 s, checked every second) and gives the messages back; prefetched messages the application has not
     * received yet count too. The consumer could receive no more ("close it and make a new one"): an application that
     * paused for half an hour, or a handler that took that long, lost its consumer for good. Now the consumer consumes
     * again on a new channel; a settlement of a delivery of the closed channel is refused as EXPIRED, its release does
     * nothing, and every message comes again.
     */
    @Test
    void aConsumerWhoseChannelRabbitMqClosedForItsConsumerTimeoutConsumesAgain() throws Exception {
        ctl(broker, "eval", "application:set_env(rabbit, channel_tick_interval, 1000), application:set_env(rabbit, consumer_timeout, 3000).");
        String topic = fresh("consumer.timeout");
        try (MessagingClient client = Messaging.connect(broker.url()); Consumer c = client.consumer(topic, "g");
             Producer p = client.producer(topic)) {
            for (int i = 0; i < 4; i++) {
                p.send(Message.builder().payload("m" + i).id("m" + i).build()).join();
            }
            Delivery held = c.receive(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("nothing arrived"));
            Thread.sleep(8_000); // held, and three more prefetched, past the timeout
            assertThatThrownBy(() -> held.ack().join()).hasCauseInstanceOf(io.anymq.SettlementException.class)
                    .hasMessageContaining("consumer_timeout");
            java.util.Set<String> again = new java.util.TreeSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (again.size() < 4 && System.nanoTime() < deadline) {
                c.receive(Duration.ofSeconds(2)).ifPresent(d -> {
                    again.add(d.message().id());
                    assertThat(d.deliveryCount()).as("quorum queue: given back once").isEqualTo(2);
                    d.ack().join();
                });
            }
            assertThat(again).containsExactly("m0", "m1", "m2", "m3");
            assertThat(c.receive(Duration.ofSeconds(1))).isEmpty();
        } finally {
            ctl(broker, "eval", "application:set_env(rabbit, channel_tick_interval, 60000), application:set_env(rabbit, consumer_timeout, 1800000).");
        }
    }

    /** rabbitmqctl against a harness node (its cookie is under its data directory, which is the node's HOME). */
    static void ctl(Broker b, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", b.nativeProperties().get("node.name")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", b.dataDir().toString());
        pb.environment().put("ERL_EPMD_PORT", b.nativeProperties().get("epmd.port"));
        pb.environment().put("RABBITMQ_CONF_ENV_FILE", b.dataDir().resolve("absent").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("rabbitmqctl %s: %s", String.join(" ", args), out).isZero();
    }
}
