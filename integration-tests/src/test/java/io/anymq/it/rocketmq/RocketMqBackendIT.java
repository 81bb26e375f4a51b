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
        url = RocketMqTckIT.url(broker);
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
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?namesrv=127.0.0.1:" + port + "&connect-timeout=2s"))
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
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("10000 ms");
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

    @Test
    void withoutAutoCreateAMissingTopicIsATypedError() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?auto-create=false")) {
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
    void killMinus9OfTheBrokerLosesNoConfirmedMessage() throws Exception {
        BrokerRestartDrill.Result r = BrokerRestartDrill.run(broker, url, fresh("restart"), 10_000, Duration.ofSeconds(10));
        System.out.println("rocketmq kill -9: " + r);
        assertThat(r.received()).containsAll(r.confirmed());
        assertThat(r.confirmed().size()).isGreaterThan(r.sent() / 2);
    }
}
