package io.anymq.it.redis;

import io.anymq.AuthenticationException;
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
import io.anymq.harness.Broker;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis Streams beyond the suite: interop with plain lettuce, credentials, TLS, bad input, kill -9 with AOF. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisBackendIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.REDIS);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void keysAndHeaderValuesThatAreNotTextStayByteExactBothWays() {
        String topic = fresh("bytes");
        byte[] streamKey = ("anymq:{" + topic + "}:stream").getBytes(StandardCharsets.UTF_8);
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'k'};
        byte[] value = {(byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x00};
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            fields.put("p".getBytes(StandardCharsets.UTF_8), "native".getBytes(StandardCharsets.UTF_8));
            fields.put("k".getBytes(StandardCharsets.UTF_8), key);
            fields.put("h:raw".getBytes(StandardCharsets.UTF_8), value);
            fields.put("h:text".getBytes(StandardCharsets.UTF_8), "grüß".getBytes(StandardCharsets.UTF_8));
            nc.sync().xadd(streamKey, fields);
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            Message got = d.message();
            assertThat(got.keyBytes()).isEqualTo(key);
            assertThat(got.headerBytes("raw")).isEqualTo(value);
            assertThat(got.header("text")).isEqualTo("grüß");
            assertThatThrownBy(got::key).isInstanceOf(io.anymq.BinaryDataException.class);
            d.ack().join();

            try (Producer p = client.producer(topic)) {
                p.send(got.toBuilder().id("id-bytes").build()).join();
                assertThatThrownBy(() -> p.send(Message.builder().payload("x").headerBytes("none", (byte[]) null).build()))
                        .isInstanceOf(io.anymq.UnsupportedCapabilityException.class);
            }
            List<StreamMessage<byte[], byte[]>> all = nc.sync().xrange(streamKey, io.lettuce.core.Range.create("-", "+"));
            assertThat(all).hasSize(2);
            Map<String, byte[]> written = new LinkedHashMap<>();
            all.get(1).getBody().forEach((k, v) -> written.put(new String(k, StandardCharsets.UTF_8), v));
            assertThat(written.get("k")).isEqualTo(key);
            assertThat(written.get("h:raw")).isEqualTo(value);
            assertThat(written.get("h:text")).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void fieldsThatRepeatInAnEntryAreRepeatedHeadersBothWays() {
        String topic = fresh("repeat");
        byte[] streamKey = ("anymq:{" + topic + "}:stream").getBytes(StandardCharsets.UTF_8);
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.capabilities().has(Capability.REPEATED_HEADERS)).isTrue();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            // XADD s * p native h:via a other 1 h:via b other 2: byte[] keys compare by identity, so both pairs are sent
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            fields.put(utf8("p"), utf8("native"));
            fields.put(utf8("h:via"), utf8("a"));
            fields.put(utf8("other"), utf8("1"));
            fields.put(utf8("h:via"), utf8("b"));
            fields.put(utf8("other"), utf8("2"));
            nc.sync().xadd(streamKey, fields);
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            Message got = d.message();
            assertThat(got.headerValues("via")).containsExactly("a", "b");
            assertThat(got.headerValues("other")).containsExactly("1", "2");
            assertThatThrownBy(() -> got.header("via")).isInstanceOf(io.anymq.RepeatedHeaderException.class);
            d.ack().join();

            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("sdk").id("id-r").addHeader("x", "1").header("y", "only")
                        .addHeader("x", "2").build()).join();
            }
            List<StreamMessage<byte[], byte[]>> all = nc.sync().xrange(streamKey, io.lettuce.core.Range.create("-", "+"));
            List<String> written = new java.util.ArrayList<>();
            all.get(1).getBody().forEach((k, v) -> written.add(new String(k, StandardCharsets.UTF_8) + "=" + new String(v, StandardCharsets.UTF_8)));
            assertThat(written).containsSubsequence("h:x=1", "h:y=only", "h:x=2");
            Message again = consumer.receive(Duration.ofSeconds(10)).orElseThrow().message();
            assertThat(again.headerValues("x")).containsExactly("1", "2");
            assertThat(again.headerFields()).extracting(Map.Entry::getKey).containsExactly("x", "y", "x");
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void interopWithPlainLettuceBothWays() {
        String topic = fresh("interop");
        String streamKey = "anymq:{" + topic + "}:stream";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<String, String> nc = nativeClient.connect();
             MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.capabilities().has(Capability.PERSISTENCE)).as("the harness runs AOF appendfsync always").isTrue();
            assertThat(client.unwrap(RedisClient.class)).isNotNull();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("p", "from lettuce");
            fields.put("k", "k1");
            fields.put("i", "native-1");
            fields.put("h:trace", "abc");
            fields.put("other", "kept as a header");
            nc.sync().xadd(streamKey, fields);
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from lettuce");
            assertThat(d.message().key()).isEqualTo("k1");
            assertThat(d.message().id()).isEqualTo("native-1");
            assertThat(d.message().headers()).containsEntry("trace", "abc").containsEntry("other", "kept as a header");
            d.ack().join();

            io.anymq.Receipt unnamed;
            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("from anymq").key("k2").id("id-2").header("trace", "xyz").build()).join();
                unnamed = p.send(Message.of("no id, no time")).join();
            }
            List<StreamMessage<String, String>> all = nc.sync().xrange(streamKey, io.lettuce.core.Range.create("-", "+"));
            assertThat(all).hasSize(3);
            Map<String, String> written = all.get(1).getBody();
            // no timestamp given: the entry id is the time; an id given travels as i
            assertThat(written).containsEntry("p", "from anymq").containsEntry("k", "k2").containsEntry("i", "id-2")
                    .containsEntry("h:trace", "xyz").doesNotContainKey("t");
            // neither given: the payload is the whole entry, and the entry names and times the message
            assertThat(all.get(2).getBody()).containsOnlyKeys("p");
            String entryId = all.get(2).getId();
            assertThat(unnamed.messageId()).isEqualTo(topic + "-" + entryId);
            assertThat(unnamed.timestamp().toEpochMilli()).isEqualTo(Long.parseLong(entryId.substring(0, entryId.indexOf('-'))));
            List<Delivery> got = new java.util.ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.size() < 2 && System.nanoTime() < until) {
                got.addAll(consumer.receive(2 - got.size(), Duration.ofSeconds(1)));
            }
            assertThat(got).hasSize(2);
            assertThat(got.get(1).message().id()).isEqualTo(unnamed.messageId());
            assertThat(got.get(1).message().timestamp()).isEqualTo(unnamed.timestamp());
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    /**
     * A transaction is one script: a plain lettuce XREAD sees none of its entries before the commit returns, all of
     * them after, and its ack with them (an ack that moved on: {@link RedisLateAckIT}).
     */
    @Test
    void aTransactionIsOneScriptInvisibleToAPlainXreadBeforeItsCommit() {
        String in = fresh("tx-in");
        String out = fresh("tx-out");
        String outKey = "anymq:{" + out + "}:stream";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<String, String> nc = nativeClient.connect();
             MessagingClient client = Messaging.connect(broker.url());
             Producer producer = client.producer(in)) {
            assertThat(client.capabilities().has(Capability.TRANSACTIONS)).isTrue();
            assertThat(client.capabilities().has(Capability.TRANSACTIONAL_ACK)).isTrue();
            Consumer first = client.consumer(ConsumerOptions.builder(in, "g").startPosition(StartPosition.EARLIEST).build());
            producer.send("order").join();
            Delivery d = first.receive(Duration.ofSeconds(10)).orElseThrow();

            io.anymq.Transaction tx = client.beginTransaction();
            java.util.concurrent.CompletableFuture<io.anymq.Receipt> one = tx.send(out, Message.builder().payload("one").id("tx-one").build());
            tx.send(out, "two");
            tx.ack(d);
            assertThat(nc.sync().xread(XReadArgs.StreamOffset.from(outKey, "0"))).as("nothing before the commit").isEmpty();
            tx.commit();
            List<StreamMessage<String, String>> written = nc.sync().xread(XReadArgs.StreamOffset.from(outKey, "0"));
            assertThat(written).extracting(m -> m.getBody().get("p")).containsExactly("one", "two");
            assertThat(one.join().position()).isEqualTo(written.get(0).getId());
            assertThat(one.join().messageId()).isEqualTo("tx-one");
            assertThat(nc.sync().xpending("anymq:{" + in + "}:stream", "g").getCount()).as("the ack committed with the sends").isZero();

        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void aRejectMovesTheEntryToTheDeadLetterStreamAndAcksItInOneScript() {
        String topic = fresh("dlq");
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<String, String> nc = nativeClient.connect();
             MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").deadLetterTopic(topic + "-dead").build());
            client.producer(topic).send(Message.builder().payload("poison").id("p-1").build()).join();
            consumer.receive(Duration.ofSeconds(10)).orElseThrow().reject().join();
            List<StreamMessage<String, String>> dead = nc.sync().xrange("anymq:{" + topic + "-dead}:stream", io.lettuce.core.Range.create("-", "+"));
            assertThat(dead).singleElement().satisfies(e -> assertThat(e.getBody()).containsEntry("p", "poison").containsEntry("i", "p-1")
                    .containsEntry("h:anymq-dead-letter-reason", "rejected"));
            assertThat(nc.sync().xpending("anymq:{" + topic + "}:stream", "g").getCount()).as("acked in the same script").isZero();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void aFullGroupRefusesSendsInTheListAndSortedSetModes() {
        for (String mode : List.of("list", "zset")) {
            String topic = fresh("cap-" + mode);
            try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode + "&queue.max-length=3")) {
                Consumer consumer = client.consumer(ConsumerOptions.of(topic, "g"));
                Producer p = client.producer(topic);
                for (int i = 0; i < 3; i++) {
                    p.send("m" + i).join();
                }
                assertThatThrownBy(() -> p.send("one too many").join()).as(mode).hasCauseInstanceOf(io.anymq.BackpressureException.class)
                        .hasMessageContaining("queue.max-length").hasMessageContaining("group g");
                consumer.receive(Duration.ofSeconds(10)).orElseThrow().ack().join();
                p.send("room again").join();
            }
        }
    }

    @Test
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("redis://127.0.0.1:1")).isInstanceOf(ConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Messaging.connect("redis://127.0.0.1:port")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?redis.auto-reconect=true")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("redis.auto-reconnect");
        try (MessagingClient tuned = Messaging.connect(broker.url() + "?redis.protocol-version=RESP2&redis.socket.keep-alive=true")) {
            assertThat(tuned.capabilities().has(Capability.AT_LEAST_ONCE)).isTrue();
        }
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?mode=queue")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode");
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=1024")) {
            assertThatThrownBy(() -> client.producer("bad{topic}")).isInstanceOf(InvalidNameException.class);
            try (Producer p = client.producer(fresh("big"))) {
                assertThatThrownBy(() -> p.send(Message.of(new byte[1025]))).isInstanceOf(MessageTooLargeException.class);
            }
        }
    }

    @Test
    void aclUserAndTls() {
        try (Broker secured = TestBrokers.provide(BrokerKind.REDIS, BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            String trust = "?tls.truststore=" + secured.nativeProperties().get("truststore.path")
                    + "&tls.truststore-password=" + secured.nativeProperties().get("truststore.password");
            String tlsUrl = "rediss://app:s3cret@127.0.0.1:" + secured.nativeProperties().get("tls.port") + trust;
            try (MessagingClient client = Messaging.connect(tlsUrl)) {
                String topic = fresh("tls");
                Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
                client.producer(topic).send("over tls").join();
                assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("over tls");
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect("redis://app:wrong-pw@127.0.0.1:" + secured.port()))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void survivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.REDIS)) {
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url(), fresh("restart"), 10_000);
            System.out.println("redis streams kill -9: " + r);
            r.assertRecovered("redis streams kill -9");
        }
    }
}
