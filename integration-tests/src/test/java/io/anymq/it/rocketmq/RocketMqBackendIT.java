package io.anymq.it.rocketmq;

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
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.it.HeavyBrokers;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RocketMQ beyond the suite: interop with plain rocketmq-client-java both ways, bad input, unwrap, kill -9 of the broker. */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RocketMqBackendIT {
    /** Every byte value, several that are not UTF-8 on their own. */
    private static final byte[] BINARY = binary();

    private Broker broker;
    private String url;
    private ClientConfiguration nativeConfig;
    private final ClientServiceProvider provider = ClientServiceProvider.loadService();

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.ROCKETMQ);
        url = broker.url(); // the client's defaults (min-ack-timeout 10 s, RocketMQ's own minimum)
        nativeConfig = ClientConfiguration.newBuilder().setEndpoints(broker.nativeProperties().get("endpoints")).build();
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static byte[] binary() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (255 - i);
        }
        return b;
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void nativeProducerToAnymqConsumer() throws Exception {
        String topic = fresh("from-native");
        try (MessagingClient client = Messaging.connect(url)) {
            // anymq creates the topic and the group (at the earliest) first: the gRPC client creates neither
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "anymq-reader").startPosition(StartPosition.EARLIEST).build());
            SendReceipt receipt;
            try (org.apache.rocketmq.client.apis.producer.Producer p = provider.newProducerBuilder().setClientConfiguration(nativeConfig)
                    .setTopics(topic).build()) {
                receipt = p.send(provider.newMessageBuilder().setTopic(topic).setBody(BINARY).setKeys("order-7")
                        .addProperty("trace", "a1 ✓").addProperty("tenant", "acme").build());
            }
            Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
            assertThat(d.message().payload()).isEqualTo(BINARY);
            assertThat(d.message().key()).isEqualTo("order-7");
            assertThat(d.message().headers()).containsEntry("trace", "a1 ✓").containsEntry("tenant", "acme");
            assertThat(d.message().headers().keySet()).noneMatch(n -> n.startsWith("anymq-"));
            assertThat(d.message().id()).as("a native message is named by its RocketMQ message id").isEqualTo(receipt.getMessageId().toString());
            assertThat(d.deliveryCount()).isEqualTo(1);
            d.ack().join();
        }
    }

    @Test
    void anymqProducerToNativeSimpleConsumer() throws Exception {
        String topic = fresh("to-native");
        String group = fresh("native-reader");
        try (MessagingClient client = Messaging.connect(url)) {
            // the group is made by anymq (at the earliest), then read by a plain SimpleConsumer
            client.consumer(ConsumerOptions.builder(topic, group).startPosition(StartPosition.EARLIEST).build()).close();
            Producer producer = client.producer(topic);
            Message sent = Message.builder().payload(BINARY).key("customer-9").header("trace", "b2").header("lang", "日本語")
                    .id("my-id-1").build();
            producer.send(sent).join();
            String unnamedId = producer.send(Message.builder().payload(new byte[] {(byte) 0xC3, 0x28}).build()).join().messageId();

            try (SimpleConsumer c = provider.newSimpleConsumerBuilder().setClientConfiguration(nativeConfig).setConsumerGroup(group)
                    .setAwaitDuration(Duration.ofSeconds(5)).setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL)).build()) {
                List<MessageView> views = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (views.size() < 2 && System.nanoTime() < end) {
                    for (MessageView v : c.receive(16, Duration.ofSeconds(30))) {
                        views.add(v);
                        c.ack(v);
                    }
                }
                assertThat(views).hasSize(2);
                MessageView named = views.stream().filter(v -> "my-id-1".equals(v.getProperties().get("anymq-id"))).findFirst().orElseThrow();
                assertThat(bytes(named.getBody())).isEqualTo(BINARY);
                assertThat(named.getKeys()).containsExactly("customer-9");
                assertThat(named.getProperties()).containsEntry("trace", "b2").containsEntry("lang", "日本語").containsKey("anymq-timestamp");
                MessageView unnamed = views.stream().filter(v -> v != named).findFirst().orElseThrow();
                assertThat(bytes(unnamed.getBody())).isEqualTo(new byte[] {(byte) 0xC3, 0x28});
                assertThat(unnamed.getProperties()).doesNotContainKey("anymq-id");
                assertThat(unnamed.getMessageId().toString()).as("an id-less message is named by RocketMQ's id").isEqualTo(unnamedId);
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void unwrapGivesTheNativeClients() {
        try (MessagingClient client = Messaging.connect(url)) {
            assertThat(client.unwrap(org.apache.rocketmq.client.apis.producer.Producer.class)).isNotNull();
            assertThat(client.unwrap(ClientConfiguration.class).getEndpoints()).isEqualTo(broker.nativeProperties().get("endpoints"));
            assertThat(client.unwrap(DefaultMQAdminExt.class)).isNotNull();
        }
    }

    @Test
    void anUnreachableProxyFailsFastWithATypedErrorThatHidesTheSecret() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("rocketmq://ak:topsecret@127.0.0.1:" + port + "?connect-timeout=2s"))
                .isInstanceOf(ConnectionException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anUnreachableNameServerFailsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("rocketmq://" + broker.nativeProperties().get("endpoints")
                + "?namesrv=127.0.0.1:" + port + "&connect-timeout=2s"))
                .isInstanceOf(ConnectionException.class).hasMessageContaining("name server");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void badInputGetsClearTypedErrors() {
        assertThatThrownBy(() -> Messaging.connect("rocketmq://127.0.0.1:notaport")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(url + "&rocketmq.bogus=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rocketmq.bogus").hasMessageContaining("rocketmq.requestTimeout");
        assertThatThrownBy(() -> Messaging.connect(url + "&topic-type=fifo")).isInstanceOf(ConfigurationException.class);
        try (MessagingClient client = Messaging.connect(url)) {
            assertThatThrownBy(() -> client.producer("bad name!")).isInstanceOf(InvalidNameException.class);
            String topic = fresh("bad");
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(2)).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least PT10S");
            Producer producer = client.producer(topic);
            byte[] tooBig = new byte[(int) client.capabilities().maxPayloadBytes() + 1];
            assertThatThrownBy(() -> producer.send(Message.of(tooBig))).isInstanceOf(MessageTooLargeException.class);
            assertThatThrownBy(() -> producer.send(Message.builder().payload("x").header("KEYS", "clash").build()).join())
                    .as("a property name RocketMQ keeps for itself").isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(InvalidMessageException.class);
        }
        // the module's limit raised over the proxy's (4 MiB): the proxy's refusal is typed too
        try (MessagingClient client = Messaging.connect(url + "&max-payload=8388608")) {
            Producer producer = client.producer(fresh("big"));
            assertThatThrownBy(() -> producer.send(Message.of(new byte[5 * 1024 * 1024])).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(MessageTooLargeException.class);
        }
    }

    /**
     * The proxy keeps a message invisible for at most 12 hours (maxInvisibleTimeMills): a nack asking for longer is refused
     * before the delivery is settled (it failed after, at the proxy, and the message came back after the ack timeout
     * instead of the delay), and a consumer asking for a longer ack timeout is refused when it is created (it failed at
     * every receive). With max-ack-timeout set above the proxy's, the proxy's own refusal names both options.
     */
    @Test
    void aNackDelayOrAnAckTimeoutOverTheProxysMaximumIsRefusedBeforeAnythingIsSettled() {
        String topic = fresh("maxinvisible");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.capabilities().maximumNackDelay()).isEqualTo(Duration.ofHours(12));
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofHours(13)).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("max-ack-timeout");
            client.producer(topic).send(Message.builder().payload("long").id("long").build()).join();
            try (Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(20))
                    .startPosition(StartPosition.EARLIEST).build())) {
                Delivery d = c.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
                assertThatThrownBy(() -> d.nack(Duration.ofHours(13))).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("PT12H");
                assertThat(d.isSettled()).isFalse();
                d.nack(Duration.ZERO).join();
                Delivery again = c.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("the nack did not redeliver"));
                assertThat(again.message().id()).isEqualTo("long");
                assertThat(again.deliveryCount()).isEqualTo(2);
                assertThat(again.nack(Duration.ofHours(12)).handle((v, e) -> e)).as("the proxy takes its maximum")
                        .succeedsWithin(Duration.ofSeconds(30)).isNull();
            }
        }
        try (MessagingClient told = Messaging.connect(broker.url() + "&max-ack-timeout=13h")) {
            String other = fresh("maxinvisible");
            told.producer(other).send("x").join();
            try (Consumer c = told.consumer(ConsumerOptions.builder(other, "g").ackTimeout(Duration.ofSeconds(20))
                    .startPosition(StartPosition.EARLIEST).build())) {
                Delivery d = c.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
                assertThatThrownBy(() -> d.nack(Duration.ofHours(13)).join()).hasCauseInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("max-ack-timeout");
            }
        }
    }

    /**
     * A client told a lower minimum than its proxy's (the harness' proxy takes 1 s, see RocketMqBroker): the
     * proxy refuses the receive, and the consumer's receive throws that as a ConfigurationException that
     * names the option; the same client's consumer with an ack timeout the proxy takes receives.
     */
    @Test
    void anAckTimeoutUnderTheProxysMinimumIsATypedErrorAtTheReceive() {
        String topic = fresh("invisible");
        try (MessagingClient client = Messaging.connect(broker.url() + "&min-ack-timeout=100ms")) {
            Consumer refused = client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofMillis(500))
                    .startPosition(StartPosition.EARLIEST).build());
            assertThatThrownBy(() -> refused.receive(Duration.ofSeconds(10))).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("invisible-time limits").hasMessageContaining("min-ack-timeout");
            refused.close();
            client.producer(topic).send("taken").join();
            Consumer taken = client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(1))
                    .startPosition(StartPosition.EARLIEST).build());
            Delivery d = taken.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
            assertThat(d.message().payloadAsString()).isEqualTo("taken");
            d.ack().join();
        }
    }

    /**
     * mode=fifo, a member that asks for key order: its group is a FIFO group and it receives one message
     * at a time, so a nacked message holds its queue (and with it its key) until it comes back, and
     * nothing acked comes again. (With batches of several, the broker brings a nacked message back
     * together with the rest of its batch, acked or not, after the application already handled later
     * messages of its key.)
     */
    @Test
    void fifoModeANackedMessageHoldsItsKeyUntilItComesBack() {
        String topic = fresh("fifo-nack");
        try (MessagingClient client = Messaging.connect(url + "&mode=fifo")) {
            assertThat(client.capabilities().has(io.anymq.Capability.KEY_ORDERING)).isTrue();
            assertThat(client.capabilities().has(io.anymq.Capability.DELAYED_DELIVERY)).as("a message group cannot be delayed").isFalse();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, fresh("g")).startPosition(StartPosition.EARLIEST)
                    .keyOrdered(true).ackTimeout(Duration.ofSeconds(30)).build());
            Producer producer = client.producer(topic);
            int n = 40;
            for (int i = 0; i < n; i++) {
                producer.send(Message.builder().payload(Integer.toString(i)).key("k" + (i % 2)).build());
            }
            producer.flush();
            assertThatThrownBy(() -> producer.send(Message.builder().payload("later").deliverAt(java.time.Instant.now().plusSeconds(5)).build()))
                    .isInstanceOf(io.anymq.UnsupportedCapabilityException.class);
            Map<String, List<Integer>> handled = new java.util.TreeMap<>();
            List<Integer> counts = new ArrayList<>();
            boolean nacked = false;
            long nackedAt = 0;
            long cameBackAfterMillis = -1;
            int total = 0;
            long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (total < n && System.nanoTime() < end) {
                for (Delivery d : consumer.receive(10, Duration.ofSeconds(1))) {
                    int i = Integer.parseInt(new String(d.message().payload(), java.nio.charset.StandardCharsets.UTF_8));
                    if (i == 10 && !nacked) {
                        nacked = true;
                        nackedAt = System.nanoTime();
                        d.nack(Duration.ZERO).join();
                        continue;
                    }
                    if (i == 10) {
                        cameBackAfterMillis = (System.nanoTime() - nackedAt) / 1_000_000;
                        counts.add(d.deliveryCount());
                    }
                    handled.computeIfAbsent(d.message().key(), k -> new ArrayList<>()).add(i);
                    total++;
                    d.ack().join();
                }
            }
            List<Integer> even = new ArrayList<>();
            List<Integer> odd = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (i % 2 == 0 ? even : odd).add(i);
            }
            assertThat(handled.get("k0")).as("key k0: the nacked 10 before 12").isEqualTo(even);
            assertThat(handled.get("k1")).isEqualTo(odd);
            assertThat(counts).as("the nacked message's second delivery").containsExactly(2);
            assertThat(consumer.receive(10, Duration.ofSeconds(3))).as("nothing acked comes again").isEmpty();
            System.out.println("fifo: the nacked message came back after " + cameBackAfterMillis + " ms");
        }
    }

    /**
     * tls=true: the harness proxy runs in its TLS test mode (tlsTestModeEnable, the proxy's default: TLS and
     * plaintext on one port, a self-signed certificate), so a round trip works over TLS; and what the client
     * sends first is a TLS handshake (0x16), where without tls it is the HTTP/2 preface ('P').
     */
    @Test
    void tlsToTheProxy() throws Exception {
        try (MessagingClient client = Messaging.connect(url + "&tls=true")) {
            String topic = fresh("tls");
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, fresh("g")).startPosition(StartPosition.EARLIEST).build());
            client.producer(topic).send(Message.of("over tls")).join();
            Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived over TLS"));
            assertThat(new String(d.message().payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("over tls");
            d.ack().join();
        }
        assertThat(firstByteSent(true)).as("a TLS handshake record").isEqualTo(0x16);
        assertThat(firstByteSent(false)).as("the HTTP/2 preface").isEqualTo('P');
    }

    /** The first byte the client sends to a fake proxy endpoint (the admin path goes to the real name server). */
    private int firstByteSent(boolean tls) throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            java.util.concurrent.CompletableFuture<Integer> first = new java.util.concurrent.CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    while (!first.isDone()) {
                        try (java.net.Socket s = fake.accept()) {
                            int b = s.getInputStream().read(); // the module's reachability probe connects and sends nothing
                            if (b >= 0) {
                                first.complete(b);
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    first.completeExceptionally(e);
                }
            });
            t.setDaemon(true);
            t.start();
            String namesrv = broker.nativeProperties().get("namesrvAddr");
            try (MessagingClient client = Messaging.connect("rocketmq://127.0.0.1:" + fake.getLocalPort() + "?namesrv=" + namesrv
                    + "&tls=" + tls + "&connect-timeout=2s&rocketmq.requestTimeout=2s&send-timeout=1s")) {
                client.producer(fresh("fake")).send(Message.of("x")).exceptionally(e -> null);
                return first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withoutAutoCreateAMissingTopicIsATypedError() {
        try (MessagingClient client = Messaging.connect(url + "&auto-create=false")) {
            assertThat(client.capabilities().has(io.anymq.Capability.REPLAY_FROM_EARLIEST)).isFalse();
            Producer producer = client.producer(fresh("missing"));
            assertThatThrownBy(() -> producer.send(Message.of("x")).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(io.anymq.TopicNotFoundException.class);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.consumer(fresh("missing"), "g").receive(Duration.ofSeconds(5)))
                    .isInstanceOf(io.anymq.TopicNotFoundException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a typed error, not a timeout").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aConsumerOrProducerMadeWhileTheBrokerIsAwayNamesTheNameServerItCannotReach() {
        String namesrv = broker.nativeProperties().get("namesrvAddr");
        try (MessagingClient client = Messaging.connect(url)) {
            client.producer(fresh("away")).send(Message.of("before")).join();
            broker.kill(); // its proxy takes 30 s to stop gently
            try {
                // the admin path asks the name server; the native text for "no name server answers" is "connect to null failed"
                assertThatThrownBy(() -> client.consumer(fresh("away"), "g")).isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("name server at " + namesrv).hasMessageContaining("option namesrv")
                        .hasMessageNotContaining("null");
                assertThatThrownBy(() -> client.producer(fresh("away"))).isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("name server at " + namesrv).hasMessageNotContaining("null");
            } finally {
                broker.restart();
            }
        }
    }

    @Test
    void killMinus9OfTheBrokerLosesNoConfirmedMessage() throws Exception {
        BrokerRestartDrill.Result r = BrokerRestartDrill.run(broker, url, fresh("restart"), 10_000, Duration.ofSeconds(10));
        System.out.println("rocketmq kill -9: " + r);
        r.assertRecovered("rocketmq kill -9");
    }
}
