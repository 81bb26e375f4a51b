package io.anymq.it.memcached;

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
import io.anymq.Receipt;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.FreePorts;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.spi.EnvelopeCodec;
import net.rubyeye.xmemcached.MemcachedClient;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Memcached beyond the suite: interop both ways with a plain text-protocol client on the documented
 * keys, the eviction check, SASL, bad input. The harness's server runs with -M.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemcachedBackendIT {
    /** Bytes that are not UTF-8, to show payloads are kept byte-exact. */
    private static final byte[] NOT_UTF8 = {(byte) 0xFF, (byte) 0xFE, 0x00, (byte) 0xC3, 0x28, (byte) 0x80, 'x'};

    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.MEMCACHED);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void whatAPlainTextClientWritesArrivesThroughAnymq() throws Exception {
        String topic = fresh("from-native");
        try (MessagingClient client = Messaging.connect(broker.url());
             TextMemcached plain = new TextMemcached(broker.host(), broker.port())) {
            assertThat(client.capabilities().has(Capability.AT_LEAST_ONCE)).as("the harness runs memcached -M").isTrue();
            assertThat(client.capabilities().has(Capability.PERSISTENCE)).isFalse();
            Consumer consumer = client.consumer(ConsumerOptions.of(topic, "g"));
            // an envelope written from the README's format description
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("trace", "abc");
            headers.put("ünïcode", "välue ✓");
            long n1 = plain.nextNumber("mq:" + topic + ":tail");
            assertThat(plain.set("mq:" + topic + ":" + n1, EnvelopeWriter.write("native-1", "k1", headers, NOT_UTF8))).isTrue();
            // a plain value: its bytes are the payload
            long n2 = plain.nextNumber("mq:" + topic + ":tail");
            assertThat(plain.set("mq:" + topic + ":" + n2, "just text".getBytes(StandardCharsets.UTF_8))).isTrue();

            Delivery d1 = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d1.message().payload()).isEqualTo(NOT_UTF8);
            assertThat(d1.message().key()).isEqualTo("k1");
            assertThat(d1.message().id()).isEqualTo("native-1");
            assertThat(d1.message().headers()).containsExactlyEntriesOf(headers);
            assertThat(d1.deliveryCount()).isEqualTo(1);
            d1.ack().join();
            Delivery d2 = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d2.message().payloadAsString()).isEqualTo("just text");
            assertThat(d2.message().id()).as("a value without id is named by its position").isEqualTo(topic + "-" + n2);
            d2.ack().join();
            // the group's state of each number is readable too
            assertThat(new String(plain.get("mq:" + topic + ":g:" + n1), StandardCharsets.US_ASCII)).isEqualTo("A 1");
            assertThat(new String(plain.get("mq:" + topic + ":g:head"), StandardCharsets.US_ASCII).strip()).isEqualTo(Long.toString(n2));
        }
    }

    @Test
    void whatAnymqSendsAPlainTextClientReadsWhereTheReadmeSays() throws Exception {
        String topic = fresh("to-native");
        try (MessagingClient client = Messaging.connect(broker.url());
             TextMemcached plain = new TextMemcached(broker.host(), broker.port())) {
            assertThat(client.unwrap(MemcachedClient.class)).isNotNull();
            Producer producer = client.producer(topic);
            Receipt r = producer.send(Message.builder().payload(NOT_UTF8).key("k2").id("id-2").header("h", "v ✓").build()).join();
            long n = Long.parseLong(r.position());
            assertThat(Long.parseLong(new String(plain.get("mq:" + topic + ":tail"), StandardCharsets.US_ASCII).strip())).isEqualTo(n);
            byte[] value = plain.get("mq:" + topic + ":" + n);
            assertThat(value).startsWith(0xAE, 'M', 'Q', 1);
            Message m = EnvelopeCodec.decode(value);
            assertThat(m.payload()).isEqualTo(NOT_UTF8);
            assertThat(m.key()).isEqualTo("k2");
            assertThat(m.id()).isEqualTo("id-2");
            assertThat(m.headers()).containsExactlyEntriesOf(Map.of("h", "v ✓"));
            // the native client of the module itself reads the same item
            byte[] viaXmemcached = client.unwrap(MemcachedClient.class).get("mq:" + topic + ":" + n);
            assertThat(viaXmemcached).isEqualTo(value);
        }
    }

    @Test
    void aServerThatMayEvictIsNotAtLeastOnce() throws Exception {
        int port = FreePorts.next();
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/memcached", "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-m", "16"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root"));
        }
        Process evicting = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String url = "memcached://127.0.0.1:" + port;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            MessagingClient client = null;
            while (client == null) {
                try {
                    client = Messaging.connect(url);
                } catch (ConnectionException notYet) {
                    if (System.nanoTime() > end) {
                        throw notYet;
                    }
                    Thread.sleep(50);
                }
            }
            try (MessagingClient c = client) {
                assertThat(c.capabilities().has(Capability.AT_LEAST_ONCE)).as("a server that may evict").isFalse();
                assertThat(c.capabilities().has(Capability.NACK_REDELIVERY)).isTrue();
            }
            assertThatThrownBy(() -> Messaging.connect(url + "?eviction=refuse")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("-M");
        } finally {
            evicting.destroyForcibly().waitFor();
        }
    }

    @Test
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("memcached://127.0.0.1:1")).isInstanceOf(ConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> Messaging.connect("memcached://127.0.0.1:port")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?memcached.op-timout=10")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("memcached.op-timeout").hasMessageContaining("memcached.connection-pool-size");
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?memcached.connection-pool-size=many"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "/db")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?item-expiry=31d")).isInstanceOf(ConfigurationException.class);
        try (MessagingClient tuned = Messaging.connect(broker.url() + "?memcached.connection-pool-size=2&memcached.tcp-no-delay=true")) {
            String topic = fresh("tuned");
            Consumer c = tuned.consumer(ConsumerOptions.of(topic, "g"));
            tuned.producer(topic).send("tuned").join();
            assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("tuned");
        }
        try (MessagingClient client = Messaging.connect(broker.url())) {
            assertThatThrownBy(() -> client.producer("bad:topic")).isInstanceOf(InvalidNameException.class);
            try (MessagingClient prefixed = Messaging.connect(broker.url() + "?key-prefix=" + "p".repeat(39) + ":")) {
                assertThatThrownBy(() -> prefixed.consumer(ConsumerOptions.of("a".repeat(100), "b".repeat(100))))
                        .as("too long together for a 250-byte key").isInstanceOf(InvalidNameException.class);
            }
            long max = client.capabilities().maxPayloadBytes();
            assertThat(max).as("from the server's item_size_max (1 MiB)").isBetween(900_000L, 1024L * 1024);
            Producer p = client.producer(fresh("big"));
            assertThatThrownBy(() -> p.send(Message.of(new byte[(int) max + 1]))).isInstanceOf(MessageTooLargeException.class);
            // within the payload limit, but headers make the item bigger than memcached takes
            Message.Builder fat = Message.builder().payload(new byte[(int) max - 10]);
            fat.header("filler", "x".repeat(20_000));
            assertThatThrownBy(() -> p.send(fat.build()).join()).hasCauseInstanceOf(MessageTooLargeException.class);
            assertThat(p.send(Message.of(new byte[(int) max - 100])).join().position()).isNotEmpty();
        }
    }

    @Test
    void saslCredentialsWorkAndWrongOnesAreRefusedFast() {
        try (Broker secured = TestBrokers.provide(BrokerKind.MEMCACHED, BrokerOptions.defaults().withUser("app", "s3cret"))) {
            try (MessagingClient client = Messaging.connect(secured.url())) {
                String topic = fresh("sasl");
                Consumer c = client.consumer(ConsumerOptions.of(topic, "g"));
                client.producer(topic).send("with sasl").join();
                Delivery d = c.receive(Duration.ofSeconds(10)).orElseThrow();
                assertThat(d.message().payloadAsString()).isEqualTo("with sasl");
                d.ack().join();
                assertThat(client.toString()).doesNotContain("s3cret");
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect("memcached://app:wrong-pw@127.0.0.1:" + secured.port()))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(() -> Messaging.connect("memcached://127.0.0.1:" + secured.port()))
                    .as("no credentials against a SASL server").isInstanceOf(ConnectionException.class);
        }
    }
    @Test
    void aTopicLivesOnOneServerAndTopicsSpreadOverTheServers() throws Exception {
        try (Broker second = TestBrokers.provide(BrokerKind.MEMCACHED);
             MessagingClient client = Messaging.connect(broker.url() + "," + second.host() + ":" + second.port());
             TextMemcached one = new TextMemcached(broker.host(), broker.port());
             TextMemcached two = new TextMemcached(second.host(), second.port())) {
            int onFirst = 0;
            int onSecond = 0;
            for (int i = 0; i < 12; i++) {
                String topic = fresh("spread" + i);
                Consumer c = client.consumer(ConsumerOptions.of(topic, "g"));
                long n = Long.parseLong(client.producer(topic).send("m" + i).join().position());
                Delivery d = c.receive(Duration.ofSeconds(10)).orElseThrow();
                assertThat(d.message().payloadAsString()).isEqualTo("m" + i);
                d.ack().join();
                List<String> keys = List.of("mq:" + topic + ":tail", "mq:" + topic + ":" + n, "mq:" + topic + ":g:head",
                        "mq:" + topic + ":g:low", "mq:" + topic + ":g:" + n);
                int first = 0;
                int other = 0;
                for (String k : keys) {
                    first += one.get(k) != null ? 1 : 0;
                    other += two.get(k) != null ? 1 : 0;
                }
                assertThat(first + other).as("every key of " + topic + " is on exactly one server").isEqualTo(keys.size());
                assertThat(first == 0 || other == 0).as("all of " + topic + " on one server").isTrue();
                onFirst += first > 0 ? 1 : 0;
                onSecond += other > 0 ? 1 : 0;
            }
            assertThat(onFirst).as("topics spread over both servers").isPositive();
            assertThat(onSecond).as("topics spread over both servers").isPositive();
        }
    }

    @Test
    void aMessageThatExpiredBeforeItsGroupReadItIsSkippedAndTheGroupMovesOn() throws Exception {
        String topic = fresh("expiry");
        try (MessagingClient client = Messaging.connect(broker.url() + "?item-expiry=1s&lost-after=300ms");
             TextMemcached plain = new TextMemcached(broker.host(), broker.port())) {
            Consumer consumer = client.consumer(ConsumerOptions.of(topic, "g"));
            Producer producer = client.producer(topic);
            producer.send("expires unread").join();
            Thread.sleep(2500); // memcached expires on whole seconds
            assertThat(plain.get("mq:" + topic + ":1")).as("memcached dropped the item").isNull();
            producer.send("read in time").join();
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("read in time");
            d.ack().join();
            assertThat(consumer.receive(Duration.ofSeconds(1))).as("the expired message is never delivered, not even empty").isEmpty();
            // number 1 was counted lost (its state, X, expires with it) and the group's low mark moved past both
            assertThat(new String(plain.get("mq:" + topic + ":g:low"), StandardCharsets.US_ASCII).strip()).isEqualTo("2");
        }
    }
}
