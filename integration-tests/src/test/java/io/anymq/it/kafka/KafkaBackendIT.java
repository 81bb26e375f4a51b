package io.anymq.it.kafka;

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
import io.anymq.MessagingInterruptedException;
import io.anymq.Producer;
import io.anymq.SettlementException;
import io.anymq.StartPosition;
import io.anymq.TopicNotFoundException;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.TckContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Kafka beyond the suite: interop with plain kafka-clients, SASL, bad input, revocation, kill -9 in both modes. */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBackendIT {
    private Broker broker;
    private String servers;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.KAFKA);
        servers = broker.nativeProperties().get("bootstrap.servers");
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    /**
     * A producer closed with a timeout while the broker is away, holding a record its linger keeps back: the close ends
     * at its timeout, saying not everything was confirmed. The driver's flush was Kafka's own, which blocks until every
     * record is answered (up to delivery.timeout.ms, 2 minutes): a 3 s close took 113 s and then said it drained.
     */
    @Test
    void aProducerClosedWhileTheBrokerIsAwayEndsAtItsTimeout() throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.KAFKA)) {
            String topic = fresh("close-away");
            java.util.concurrent.CompletableFuture<io.anymq.Receipt> lingering;
            try (MessagingClient client = Messaging.connect(own.url() + "?kafka.linger.ms=60000")) {
                Producer p = client.producer(topic);
                p.send("before");
                p.flush(); // sends it despite the linger, and waits for it
                Thread.sleep(500); // the flush's own wait ends after the confirmation: while it lasts, Kafka sends at once
                lingering = p.send("lingering");
                Thread.sleep(300);
                assertThat(lingering).as("held back by linger.ms").isNotDone();
                own.stop();
                long t0 = System.nanoTime();
                assertThat(p.close(Duration.ofSeconds(3))).as("whether every send was confirmed").isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            }
            assertThat(lingering).as("failed by the client's close at the latest").isCompletedExceptionally();
        }
    }

    /**
     * A share group member made while the broker is away fails with a timeout that says so: setting the group's
     * configuration timed out, and that was reported as a ConfigurationException, "Kafka refused the settings of share
     * group", which sends a user looking at settings that are fine.
     */
    @Test
    void aShareGroupMemberMadeWhileTheBrokerIsAwayFailsWithATimeoutNotAConfigurationError() throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.KAFKA)) {
            String topic = fresh("share-away");
            try (MessagingClient client = Messaging.connect(own.url() + "?mode=shared")) {
                client.producer(topic).send("before").join();
                own.stop();
                await().atMost(Duration.ofSeconds(60)).until(() -> client.health().state() != io.anymq.Health.State.CONNECTED);
                assertThatThrownBy(() -> client.consumer(ConsumerOptions.of(topic, fresh("g"))))
                        .isInstanceOfAny(io.anymq.MessagingTimeoutException.class, ConnectionException.class)
                        .isNotInstanceOf(ConfigurationException.class);
            }
        }
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void interopWithPlainKafkaClientsBothWays() throws Exception {
        String topic = fresh("interop");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            assertThat(client.unwrap(Admin.class)).isNotNull();
            assertThat(client.unwrap(KafkaProducer.class)).isNotNull();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (KafkaProducer<String, String> plain = new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(),
                    new StringSerializer())) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k1", "from kafka-clients");
                r.headers().add("trace", "äbc".getBytes(StandardCharsets.UTF_8));
                plain.send(r).get();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from kafka-clients");
            assertThat(d.message().key()).isEqualTo("k1");
            assertThat(d.message().headers()).containsEntry("trace", "äbc");
            assertThat(d.message().id()).startsWith(topic + "-");
            d.ack().join();

            client.producer(topic).send(Message.builder().payload("from anymq").key("k2").id("id-2").header("trace", "xyz").build()).join();
            Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", servers, "group.id", fresh("plain"),
                    "auto.offset.reset", "earliest"));
            try (KafkaConsumer<String, String> plain = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
                plain.subscribe(List.of(topic));
                ConsumerRecord<String, String> mine = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (mine == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : plain.poll(Duration.ofMillis(200))) {
                        if ("k2".equals(r.key())) {
                            mine = r;
                        }
                    }
                }
                assertThat(mine).as("the anymq message, read by a plain KafkaConsumer").isNotNull();
                assertThat(mine.value()).isEqualTo("from anymq");
                assertThat(header(mine, "trace")).isEqualTo("xyz");
                assertThat(header(mine, "anymq-id")).isEqualTo("id-2");
                assertThat(mine.timestamp()).isPositive();
            }
        }
    }

    @Test
    void keysAndHeaderValuesThatAreNotTextStayByteExactBothWays() throws Exception {
        String topic = fresh("bytes");
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'k'};
        byte[] value = {(byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x00};
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, "native".getBytes(StandardCharsets.UTF_8));
                r.headers().add("raw", value);
                r.headers().add("none", null);
                r.headers().add("empty", new byte[0]);
                r.headers().add("text", "grüß".getBytes(StandardCharsets.UTF_8));
                plain.send(r).get();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            Message got = d.message();
            assertThat(got.keyBytes()).isEqualTo(key);
            assertThat(got.headersAsBytes().keySet()).containsExactly("raw", "none", "empty", "text");
            assertThat(got.headerBytes("raw")).isEqualTo(value);
            assertThat(got.headersAsBytes().get("none")).as("a null header value stays null, not \"\"").isNull();
            assertThat(got.headerBytes("empty")).isEmpty();
            assertThat(got.header("text")).isEqualTo("grüß");
            assertThatThrownBy(got::key).isInstanceOf(io.anymq.BinaryDataException.class);
            assertThatThrownBy(() -> got.header("raw")).isInstanceOf(io.anymq.BinaryDataException.class);
            d.ack().join();

            String back = fresh("bytes-back");
            client.producer(back).send(got.toBuilder().id("id-bytes").build()).join();
            ConsumerRecord<byte[], byte[]> mine = readOnePlain(back);
            assertThat(mine.key()).isEqualTo(key);
            assertThat(mine.headers().lastHeader("raw").value()).isEqualTo(value);
            assertThat(mine.headers().lastHeader("none").value()).isNull();
            assertThat(mine.headers().lastHeader("empty").value()).isEmpty();
            assertThat(mine.headers().lastHeader("text").value()).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHeaderNameANativeProducerWroteTwiceKeepsBothValuesBothWays() throws Exception {
        String topic = fresh("repeated");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, "native".getBytes(StandardCharsets.UTF_8));
                r.headers().add("h", "first".getBytes(StandardCharsets.UTF_8));
                r.headers().add("other", "o".getBytes(StandardCharsets.UTF_8));
                r.headers().add("h", "second".getBytes(StandardCharsets.UTF_8));
                r.headers().add("h", null);
                plain.send(r).get();
            }
            Delivery d = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            Message got = d.message();
            assertThat(got.hasRepeatedHeaders()).isTrue();
            assertThat(got.headerValuesAsBytes("h")).containsExactly("first".getBytes(StandardCharsets.UTF_8),
                    "second".getBytes(StandardCharsets.UTF_8), null);
            assertThat(got.headerFields()).extracting(Map.Entry::getKey).containsExactly("h", "other", "h", "h");
            assertThat(got.header("other")).isEqualTo("o");
            assertThatThrownBy(() -> got.header("h")).isInstanceOf(io.anymq.RepeatedHeaderException.class);
            d.ack().join();

            String back = fresh("repeated-back");
            client.producer(back).send(got.toBuilder().id("id-repeated").build()).join();
            ConsumerRecord<byte[], byte[]> mine = readOnePlain(back);
            List<String> names = new java.util.ArrayList<>();
            mine.headers().forEach(h -> names.add(h.key()));
            assertThat(names).containsExactly("h", "other", "h", "h", "anymq-id");
            assertThat(mine.headers().headers("h")).extracting(org.apache.kafka.common.header.Header::value)
                    .containsExactly("first".getBytes(StandardCharsets.UTF_8), "second".getBytes(StandardCharsets.UTF_8), null);
        }
    }

    @Test
    void aMissingTopicIsATypedErrorWhenAutoCreationIsOff() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?auto-create=false")) {
            assertThatThrownBy(() -> client.producer(fresh("absent"))).isInstanceOf(TopicNotFoundException.class)
                    .hasMessageContaining("auto-create");
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.of(fresh("absent"), "g"))).isInstanceOf(TopicNotFoundException.class);
        }
    }

    @Test
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?connect-timeout=3s")).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("cannot reach Kafka");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:port")).isInstanceOf(MalformedUrlException.class);
        assertThatThrownBy(() -> Messaging.connect(broker.url() + "?mode=queue")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode");
        try (MessagingClient client = Messaging.connect(broker.url() + "?max-payload=1024")) {
            assertThatThrownBy(() -> client.producer("bad/topic")).isInstanceOf(InvalidNameException.class);
            try (Producer p = client.producer(fresh("big"))) {
                assertThatThrownBy(() -> p.send(Message.of(new byte[1025]))).isInstanceOf(MessageTooLargeException.class);
            }
        }
        String ordered = fresh("ordered-group");
        try (MessagingClient client = Messaging.connect(broker.url())) {
            client.consumer(ConsumerOptions.of(fresh("kinds"), ordered)).close();
        }
        try (MessagingClient shared = Messaging.connect(broker.url() + "?mode=shared")) {
            assertThatThrownBy(() -> shared.consumer(ConsumerOptions.of(fresh("kinds"), ordered)))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("exists as a consumer group");
            assertThat(shared.capabilities().has(Capability.DELIVERY_COUNT)).isTrue();
            assertThatThrownBy(() -> shared.consumer(ConsumerOptions.builder(fresh("limit"), fresh("g")).maxDeliveries(50).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("delivery limit");
            assertThatThrownBy(() -> shared.consumer(ConsumerOptions.builder(fresh("lock"), fresh("g")).ackTimeout(Duration.ofHours(2)).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("record lock");
        }
    }

    @Test
    void aSettlementAfterRevocationIsRefusedAsRevoked() throws Exception {
        String topic = fresh("revoke");
        try (MessagingClient client = Messaging.connect(broker.url() + "?kafka.max.poll.interval.ms=1500")) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            client.producer(topic).send("held too long").join();
            Delivery held = consumer.receive(Duration.ofSeconds(20)).orElseThrow();
            Thread.sleep(4000); // no poll for longer than max.poll.interval.ms: the member leaves the group, its partitions are lost
            List<Delivery> again = consumer.receive(10, Duration.ofSeconds(10)); // rejoins; the record comes again from the committed offset
            assertThatThrownBy(() -> held.ack().join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(SettlementException.class)
                    .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.REVOKED));
            assertThat(again).extracting(d -> d.message().payloadAsString()).contains("held too long");
        }
    }

    /**
     * mode=ordered commits acks while the application does not receive (#22): a member that acked what it
     * received and then only works (no receive, so no poll) has the group's committed offset follow its acks
     * within a bounded time, so a crash then brings back nothing it acked; and close commits synchronously
     * what was acked just before it.
     */
    @Test
    void orderedAcksAreCommittedWhileTheApplicationDoesNotReceiveAndOnClose() throws Exception {
        String topic = fresh("commit");
        String group = fresh("g");
        try (MessagingClient client = Messaging.connect(broker.url() + "?partitions=1")) {
            Admin admin = client.unwrap(Admin.class);
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, group).startPosition(StartPosition.EARLIEST).build());
            try (Producer producer = client.producer(topic)) {
                for (int i = 0; i < 30; i++) {
                    producer.send("m-" + i);
                }
                producer.flush();
            }
            List<Delivery> got = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.size() < 30 && System.nanoTime() < until) {
                got.addAll(consumer.receive(30 - got.size(), Duration.ofSeconds(1)));
            }
            assertThat(got).hasSize(30);
            for (Delivery d : got.subList(0, 20)) {
                d.ack().join();
            }
            long acked = System.nanoTime();
            // no receive from here on: the application is busy with the rest
            while (committedOffset(admin, group, topic) < 20 && System.nanoTime() - acked < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(10);
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked);
            System.out.println("kafka ordered: 20 acks committed without a poll within " + tookMs + " ms");
            assertThat(committedOffset(admin, group, topic)).as("the committed offset 5 s after 20 acks, with no receive since").isEqualTo(20);
            assertThat(tookMs).as("acks are committed within about 100 ms when nobody polls (2 s: a loaded machine)").isLessThan(2000);

            for (Delivery d : got.subList(20, 30)) {
                d.ack().join();
            }
            consumer.close();
            assertThat(committedOffset(admin, group, topic)).as("what was acked before close is committed when close returns").isEqualTo(30);
        }
    }

    /**
     * Members that join a group while their receiving thread is interrupted again and again (a task cancelled, a pool
     * shut down, a framework thread with its flag left set) get their partitions and every record, in both modes, and
     * so does a second member that joins meanwhile (a rebalance under interrupts). Kafka's consumer runs the
     * application-thread part of an assignment inside {@code poll}; an interrupt there failed it, and the client then
     * kept the partitions assigned but unfetchable until the next rebalance: a member that never received anything,
     * also long after the interrupts had stopped (3 of 20 fresh members, and the suite's interrupt scenario in CI).
     */
    @Test
    void membersThatJoinWhileTheirThreadIsInterruptedAgainAndAgainGetEveryRecord() throws Exception {
        for (String mode : List.of("ordered", "shared")) {
            try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode + "&partitions=4")) {
                for (int round = 0; round < 8; round++) {
                    String topic = fresh("join-intr");
                    String group = fresh("g");
                    ConsumerOptions options = ConsumerOptions.builder(topic, group).startPosition(StartPosition.EARLIEST).build();
                    Set<String> got = ConcurrentHashMap.newKeySet();
                    try (Producer producer = client.producer(topic)) {
                        Consumer first = client.consumer(options);
                        for (int i = 0; i < 20; i++) {
                            producer.send("before-" + i);
                        }
                        producer.flush();
                        AtomicBoolean stop = new AtomicBoolean();
                        Thread receiver = receiveInterrupted(first, got, stop);
                        Thread interrupter = TckContext.interrupter(receiver, 1, stop);
                        receiver.start();
                        interrupter.start();
                        try {
                            awaitAll(got, "before-", 20, Duration.ofSeconds(15),
                                    mode + " round " + round + ": a member that joined under interrupts");
                            Consumer second = client.consumer(options);
                            Thread other = receiveInterrupted(second, got, stop);
                            other.start();
                            for (int i = 0; i < 40; i++) {
                                producer.send("after-" + i);
                            }
                            producer.flush();
                            awaitAll(got, "after-", 40, Duration.ofSeconds(20),
                                    mode + " round " + round + ": two members while a second joined under interrupts");
                            stop.set(true);
                            other.join(5000);
                            second.close();
                        } finally {
                            stop.set(true);
                            receiver.join(5000);
                            first.close();
                        }
                    }
                }
            }
        }
    }

    /** A thread that receives and acks into {@code got} until {@code stop}, going on after each interrupt. */
    private static Thread receiveInterrupted(Consumer consumer, Set<String> got, AtomicBoolean stop) {
        return new Thread(() -> {
            while (!stop.get()) {
                try {
                    for (Delivery d : consumer.receive(10, Duration.ofMillis(200))) {
                        got.add(d.message().payloadAsString());
                        d.ack();
                    }
                } catch (MessagingInterruptedException e) {
                    Thread.interrupted();
                }
            }
        }, "interrupted-receiver");
    }

    private static void awaitAll(Set<String> got, String prefix, int n, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> missing = new ArrayList<>();
        do {
            Thread.sleep(20);
            missing.clear();
            for (int i = 0; i < n; i++) {
                if (!got.contains(prefix + i)) {
                    missing.add(prefix + i);
                }
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertThat(missing).as("%s: records not received within %s", what, within).isEmpty();
    }

    /** The group's committed offset of the topic's only partition, or -1 when it has none. */
    private static long committedOffset(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        OffsetAndMetadata om = offsets.get(new TopicPartition(topic, 0));
        return om == null ? -1 : om.offset();
    }

    @Test
    void saslPlainCredentialsAndTls() {
        try (Broker secured = TestBrokers.provide(BrokerKind.KAFKA, BrokerOptions.defaults().withUser("app", "s3cret").withSasl().withTls())) {
            String saslServers = secured.nativeProperties().get("sasl.bootstrap.servers");
            try (MessagingClient client = Messaging.connect("kafka://app:s3cret@" + saslServers)) {
                assertThat(client.toString()).doesNotContain("s3cret");
                String topic = fresh("sasl");
                Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
                client.producer(topic).send("over sasl").join();
                assertThat(c.receive(Duration.ofSeconds(20)).orElseThrow().message().payloadAsString()).isEqualTo("over sasl");
            }
            String tlsUrl = "kafka://" + secured.nativeProperties().get("tls.bootstrap.servers") + "?tls=true&tls.truststore="
                    + secured.nativeProperties().get("truststore.path") + "&tls.truststore-password=" + secured.nativeProperties().get("truststore.password");
            try (MessagingClient client = Messaging.connect(tlsUrl)) {
                assertThat(client.toString()).doesNotContain(secured.nativeProperties().get("truststore.password"));
                String topic = fresh("tls");
                Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
                client.producer(topic).send("over tls").join();
                assertThat(c.receive(Duration.ofSeconds(20)).orElseThrow().message().payloadAsString()).isEqualTo("over tls");
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect("kafka://app:wrong-pw@" + saslServers))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /**
     * A consumer that does not receive for longer than max.poll.interval.ms (here 4 s) has left the group, though
     * kafka-clients says so only at its next poll: an ack then is refused (REVOKED), and the records it had fetched are
     * not handed out again from its buffer. It used to take the late ack and hand out the buffered records, whose acks
     * counted for partitions it no longer owned: each came twice.
     */
    @Test
    void aConsumerThatPausedPastMaxPollIntervalRefusesTheLateAckAndReadsEachRecordOnceMore() throws Exception {
        String topic = fresh("paused");
        try (MessagingClient client = Messaging.connect(broker.url() + "?kafka.max.poll.interval.ms=4000");
             Producer p = client.producer(topic);
             Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build())) {
            for (int i = 0; i < 5; i++) {
                p.send(Message.builder().payload("m" + i).id("m" + i).key("one partition").build()).join();
            }
            Delivery held = c.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
            Thread.sleep(8_000);
            assertThatThrownBy(() -> held.ack().join()).hasCauseInstanceOf(SettlementException.class)
                    .hasMessageContaining("max.poll.interval.ms");
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.size() < 5 && System.nanoTime() < deadline) {
                c.receive(Duration.ofSeconds(2)).ifPresent(d -> {
                    got.add(d.message().id());
                    d.ack().join();
                });
            }
            assertThat(c.receive(Duration.ofSeconds(3))).as("nothing more after %s", got).isEmpty();
            assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
        }
    }

    @Test
    void bothModesSurviveKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        for (String mode : List.of("ordered", "shared")) {
            try (Broker own = TestBrokers.provide(BrokerKind.KAFKA)) { // the drill's group name is fixed: one broker per mode
                BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url() + "?mode=" + mode, fresh("restart-" + mode), 10_000);
                System.out.println("kafka " + mode + " kill -9: " + r);
                r.assertRecovered("kafka " + mode + " kill -9");
            }
        }
    }

    /** The first record of a topic, read by a plain KafkaConsumer of a fresh group (within 30 s). */
    private ConsumerRecord<byte[], byte[]> readOnePlain(String topic) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", servers, "group.id", fresh("plain"),
                "auto.offset.reset", "earliest"));
        try (KafkaConsumer<byte[], byte[]> plain = new KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            plain.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : plain.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("the anymq message was not read by a plain KafkaConsumer of " + topic + " within 30 s");
    }
}
