package io.anymq.it.redis;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.UnsupportedCapabilityException;
import io.anymq.StartPosition;
import io.anymq.Transaction;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.spi.EnvelopeCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis List and Sorted Set modes beyond the suite: interop with plain lettuce both ways (the
 * envelope, and plain values), a member that dies holding messages, state that survives kill -9 of
 * the server (in-flight entries, delivery counts, nack delays, delivery times), groups made after a
 * send, values that are no valid envelope, and the kill -9 restart drill in the middle of 10,000 messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisQueueModesIT {
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String sha1(byte[] value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value));
    }

    private static Delivery receive(Consumer c) {
        return c.receive(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("nothing arrived on " + c.topic()));
    }

    private static List<Delivery> receiveFor(Consumer c, Duration d) {
        List<Delivery> out = new ArrayList<>();
        long end = System.nanoTime() + d.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            c.receive(Duration.ofNanos(left)).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void listInteropWithPlainLettuceBothWays() throws Exception {
        String topic = fresh("list-interop");
        String prefix = "anymq:{" + topic + "}:list:";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=list")) {
            assertThat(client.capabilities().has(Capability.PERSISTENCE)).isTrue();
            Consumer consumer = client.consumer(topic, "g");
            assertThat(nc.sync().smembers(bytes(prefix + "groups")).stream().map(RedisQueueModesIT::text)).containsExactly("g");

            // in: an envelope LPUSHed by a plain client, and a plain value
            Message m = Message.builder().payload("from lettuce").key("k1").id("native-1").timestamp(Instant.ofEpochMilli(1_700_000_000_000L))
                    .header("trace", "abc").header("grüß", "ok").build();
            nc.sync().lpush(bytes(prefix + "g:ready"), EnvelopeCodec.encode(m));
            Delivery d = receive(consumer);
            assertThat(d.message()).isEqualTo(m);
            assertThat(d.deliveryCount()).isEqualTo(1);
            d.ack().join();
            nc.sync().lpush(bytes(prefix + "g:ready"), bytes("plain job"));
            Delivery plain = receive(consumer);
            assertThat(plain.message().payloadAsString()).isEqualTo("plain job");
            assertThat(plain.message().id()).isEqualTo(sha1(bytes("plain job")));
            plain.ack().join();

            // out: a plain client joins as group "native" (an entry of the registry) and reads its own list
            nc.sync().sadd(bytes(prefix + "groups"), bytes("native"));
            Message sent = Message.builder().payload("from anymq").key("k2").id("id-2").header("trace", "xyz").build();
            try (Producer p = client.producer(topic)) {
                assertThat(p.send(sent).join().position()).isEqualTo("groups=2");
            }
            byte[] value = nc.sync().rpop(bytes(prefix + "native:ready"));
            Message decoded = EnvelopeCodec.decode(value);
            assertThat(decoded.payloadAsString()).isEqualTo("from anymq");
            assertThat(decoded.key()).isEqualTo("k2");
            assertThat(decoded.id()).isEqualTo("id-2");
            assertThat(decoded.headers()).containsEntry("trace", "xyz");
            assertThat(decoded.timestamp()).isNotNull();
            receive(consumer).ack().join();
            assertThat(nc.sync().exists(bytes(prefix + "g:pending"), bytes(prefix + "g:deliveries"))).as("nothing left in flight").isZero();
            assertThat(nc.sync().zcard(bytes(prefix + "g:inflight"))).isZero();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    /**
     * A transaction's sends and acks use the same member names as the send, take and settle scripts: the due member is
     * the bare entry id (no deliveries hash is written), a delivery is in flight as ENTRY:COUNT, and a commit acks a
     * delivery in flight or one waiting due again under its name after its deadline.
     */
    @Test
    void zsetTransactionsWriteTheCountsInMemberNames() {
        String in = fresh("zset-tx-in");
        String out = fresh("zset-tx-out");
        String inPrefix = "anymq:{" + in + "}:zset:g:";
        String outPrefix = "anymq:{" + out + "}:zset:g:";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=zset")) {
            Consumer consumer = client.consumer(in, "g");
            Consumer sink = client.consumer(out, "g");
            Transaction sends = client.beginTransaction();
            sends.send(in, "a");
            sends.send(in, "b");
            sends.commit();
            List<String> due = nc.sync().zrange(bytes(inPrefix + "due"), 0, -1).stream().map(RedisQueueModesIT::text).toList();
            assertThat(due).hasSize(2).allMatch(m -> m.matches("[0-9a-f]{16}"), "a bare entry id");
            assertThat(nc.sync().exists(bytes(inPrefix + "deliveries"))).as("no deliveries hash").isZero();
            Delivery a = receive(consumer);
            Delivery b = receive(consumer);
            List<String> inFlight = nc.sync().zrange(bytes(inPrefix + "inflight"), 0, -1).stream().map(RedisQueueModesIT::text).toList();
            assertThat(inFlight).containsExactlyInAnyOrder(due.get(0) + ":1", due.get(1) + ":1");
            // a's ack deadline passed and a take gave it back (due under the same name), not taken again yet
            String aMember = inFlight.stream().filter(m -> m.startsWith(due.get(0))).findFirst().orElseThrow();
            nc.sync().zrem(bytes(inPrefix + "inflight"), bytes(aMember));
            nc.sync().zadd(bytes(inPrefix + "due"), System.currentTimeMillis() + 60_000, bytes(aMember));
            Transaction work = client.beginTransaction();
            work.send(out, "x");
            work.ack(a);
            work.ack(b);
            work.commit();
            assertThat(nc.sync().exists(bytes(inPrefix + "due"), bytes(inPrefix + "inflight"), bytes(inPrefix + "body"),
                    bytes(inPrefix + "deliveries"))).as("both acks applied").isZero();
            Delivery x = receive(sink);
            assertThat(x.deliveryCount()).isEqualTo(1);
            assertThat(nc.sync().zrange(bytes(outPrefix + "inflight"), 0, -1)).singleElement()
                    .satisfies(m -> assertThat(text(m)).matches("[0-9a-f]{16}:1"));
            x.ack().join();
            assertThat(nc.sync().exists(bytes(outPrefix + "inflight"), bytes(outPrefix + "body"), bytes(outPrefix + "deliveries"))).isZero();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void zsetTakesOverTheCountsOfTheLayoutBefore() {
        String topic = fresh("zset-legacy");
        String prefix = "anymq:{" + topic + "}:zset:g:";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=zset")) {
            Consumer consumer = client.consumer(topic, "g");
            long now = System.currentTimeMillis();
            // what the earlier version left: one entry in flight past its deadline in its 3rd delivery (2 ended),
            // one due again after 1 ended delivery; bare entry ids, the counts in the deliveries hash
            nc.sync().hset(bytes(prefix + "body"), bytes("00000000000000a1"), EnvelopeCodec.encode(Message.builder().payload("was in flight").id("old-1").build()));
            nc.sync().zadd(bytes(prefix + "inflight"), now - 1000, bytes("00000000000000a1"));
            nc.sync().hset(bytes(prefix + "deliveries"), bytes("00000000000000a1"), bytes("2"));
            nc.sync().hset(bytes(prefix + "body"), bytes("00000000000000a2"), EnvelopeCodec.encode(Message.builder().payload("was due").id("old-2").build()));
            nc.sync().zadd(bytes(prefix + "due"), now - 500, bytes("00000000000000a2"));
            nc.sync().hset(bytes(prefix + "deliveries"), bytes("00000000000000a2"), bytes("1"));
            Map<String, Integer> counts = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                Delivery d = receive(consumer);
                counts.put(d.message().id(), d.deliveryCount());
                d.ack().join();
            }
            assertThat(counts).containsEntry("old-1", 4).containsEntry("old-2", 2);
            assertThat(nc.sync().exists(bytes(prefix + "deliveries"), bytes(prefix + "body"), bytes(prefix + "inflight"), bytes(prefix + "due")))
                    .as("nothing left of either layout").isZero();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void zsetInteropWithPlainLettuceBothWays() throws Exception {
        String topic = fresh("zset-interop");
        String prefix = "anymq:{" + topic + "}:zset:";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=zset")) {
            Consumer consumer = client.consumer(topic, "g");
            long now = System.currentTimeMillis();
            // in: an entry id in the due set with its envelope in the body hash ...
            Message m = Message.builder().payload("from lettuce").key("k1").id("native-1").timestamp(Instant.ofEpochMilli(now)).header("trace", "abc").build();
            nc.sync().hset(bytes(prefix + "g:body"), bytes("native-entry"), EnvelopeCodec.encode(m));
            nc.sync().zadd(bytes(prefix + "g:due"), now, bytes("native-entry"));
            Delivery d = receive(consumer);
            assertThat(d.message()).isEqualTo(m);
            d.ack().join();
            assertThat(nc.sync().hexists(bytes(prefix + "g:body"), bytes("native-entry"))).isFalse();
            // ... or the envelope itself as the member, due in 1 s
            Message m2 = Message.builder().payload("member only").id("native-2").build();
            long due = System.currentTimeMillis() + 1000;
            nc.sync().zadd(bytes(prefix + "g:due"), due, EnvelopeCodec.encode(m2));
            Delivery d2 = receive(consumer);
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due - 50);
            assertThat(d2.message().id()).isEqualTo("native-2");
            d2.ack().join();

            // out: a plain client's group sees the entry scored by its delivery time, the envelope in the body hash
            nc.sync().sadd(bytes(prefix + "groups"), bytes("native"));
            Instant at = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
            String entry;
            try (Producer p = client.producer(topic)) {
                entry = p.send(Message.builder().payload("later").id("id-3").deliverAt(at).build()).join().position();
            }
            assertThat(entry).matches("[0-9a-f]{16}");
            List<ScoredValue<byte[]>> waiting = nc.sync().zrangeWithScores(bytes(prefix + "native:due"), 0, -1);
            assertThat(waiting).hasSize(1);
            assertThat(text(waiting.get(0).getValue())).isEqualTo(entry);
            assertThat((long) waiting.get(0).getScore()).isEqualTo(at.toEpochMilli());
            Message decoded = EnvelopeCodec.decode(nc.sync().hget(bytes(prefix + "native:body"), bytes(entry)));
            assertThat(decoded.payloadAsString()).isEqualTo("later");
            assertThat(decoded.deliverAt()).isEqualTo(at);
            assertThat(decoded.id()).isEqualTo("id-3");
            assertThat(consumer.receive(Duration.ofMillis(500))).as("not due for an hour").isEmpty();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void aGroupMadeAfterASendDoesNotGetIt(String mode) {
        String topic = fresh(mode + "-late");
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer early = client.consumer(topic, "early");
            Producer p = client.producer(topic);
            p.send("before").join();
            Consumer late = client.consumer(topic, "late");
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder(topic, "x").startPosition(StartPosition.EARLIEST).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            p.send("after").join();
            assertThat(receiveFor(early, Duration.ofSeconds(1)).stream().map(d -> d.message().payloadAsString()))
                    .containsExactly("before", "after");
            assertThat(receiveFor(late, Duration.ofSeconds(1)).stream().map(d -> d.message().payloadAsString())).containsExactly("after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void singleSendsAndBatchesOfOneProducerArriveInTheOrderTheyWereSent(String mode) {
        String topic = fresh(mode + "-order");
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer consumer = client.consumer(topic, "g");
            Producer p = client.producer(topic);
            List<String> sent = new ArrayList<>();
            List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                // single sends gather while a script call runs; a batch must not overtake them
                for (int i = 0; i < 3; i++) {
                    String text = round + "-single-" + i;
                    sent.add(text);
                    all.add(p.send(Message.of(text)));
                }
                List<Message> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String text = round + "-batch-" + i;
                    sent.add(text);
                    batch.add(Message.of(text));
                }
                all.add(p.sendBatch(batch));
            }
            all.forEach(java.util.concurrent.CompletableFuture::join);
            List<String> got = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.size() < sent.size() && System.nanoTime() < until) {
                for (Delivery d : consumer.receive(100, Duration.ofMillis(200))) {
                    got.add(d.message().payloadAsString());
                    d.ack().join();
                }
            }
            assertThat(got).containsExactlyElementsOf(sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void whatAMemberTookAheadAndNeverHandedOutGoesBackUncountedWhenItCloses(String mode) {
        String topic = fresh(mode + "-ahead");
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer first = client.consumer(ConsumerOptions.builder(topic, "g").maxInFlight(10).build());
            Producer p = client.producer(topic);
            for (int i = 0; i < 10; i++) {
                p.send("m" + i).join();
            }
            // one receive takes ahead up to the in-flight bound (10): nine stay in the member's buffer
            Delivery one = first.receive(Duration.ofSeconds(5)).orElseThrow();
            one.ack().join();
            first.close();
            Consumer second = client.consumer(ConsumerOptions.builder(topic, "g").maxInFlight(10).build());
            List<Delivery> rest = receiveFor(second, Duration.ofSeconds(2));
            assertThat(rest).hasSize(9);
            assertThat(rest).allSatisfy(d -> assertThat(d.deliveryCount()).as("never handed out, so not delivered before").isEqualTo(1));
            rest.forEach(d -> d.ack().join());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void theEntriesOfAMemberThatDiedComeBackAfterItsAckTimeoutWithTheirCount(String mode) {
        String topic = fresh(mode + "-dead");
        ConsumerOptions options = ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(1)).build();
        MessagingClient dying = Messaging.connect(broker.url() + "?mode=" + mode);
        try (MessagingClient survivor = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer c = dying.consumer(options);
            Consumer other = survivor.consumer(options);
            try (Producer p = survivor.producer(topic)) {
                p.send(Message.builder().payload("held").id("held-1").build()).join();
            }
            Delivery held = receive(c);
            long heldAt = System.nanoTime();
            // the member's process dies: its connections go, nothing is given back
            dying.unwrap(RedisClient.class).shutdown(Duration.ZERO, Duration.ofSeconds(2));
            Delivery again = receive(other);
            assertThat(again.message().id()).isEqualTo(held.message().id());
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - heldAt)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            again.ack().join();
            assertThat(receiveFor(other, Duration.ofMillis(1500))).isEmpty();
        } finally {
            try {
                dying.close();
            } catch (RuntimeException alreadyDead) {
                // its connections are gone
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void inFlightEntriesCountsAndDelaysSurviveKillNine(String mode) throws Exception {
        String topic = fresh(mode + "-crash");
        try (Broker own = TestBrokers.provide(BrokerKind.REDIS)) {
            String url = own.url() + "?mode=" + mode;
            ConsumerOptions options = ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(2)).build();
            MessagingClient before = Messaging.connect(url);
            Consumer c = before.consumer(options);
            Producer p = before.producer(topic);
            for (String id : List.of("acked", "nacked", "held")) {
                p.send(Message.builder().payload(id).id(id).build()).join();
            }
            if (mode.equals("zset")) {
                p.send(Message.builder().payload("delayed").id("delayed").deliverAt(Instant.now().plusSeconds(4)).build()).join();
            }
            Map<String, Delivery> got = new java.util.HashMap<>();
            for (int i = 0; i < 3; i++) {
                Delivery d = receive(c);
                got.put(d.message().id(), d);
            }
            got.get("acked").ack().join();
            got.get("nacked").nack(Duration.ofSeconds(3)).join();
            long nackedAt = System.nanoTime();
            own.kill();
            before.unwrap(RedisClient.class).shutdown(Duration.ZERO, Duration.ofSeconds(2));
            own.restart();
            try (MessagingClient after = Messaging.connect(url)) {
                Consumer c2 = after.consumer(options);
                Map<String, Integer> counts = new java.util.HashMap<>();
                long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                while (System.nanoTime() < end) {
                    c2.receive(Duration.ofMillis(200)).ifPresent(d -> {
                        counts.put(d.message().id(), d.deliveryCount());
                        if (d.message().id().equals("nacked")) {
                            assertThat(Duration.ofNanos(System.nanoTime() - nackedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
                        }
                        d.ack().join();
                    });
                }
                assertThat(counts).isEqualTo(mode.equals("zset") ? Map.of("nacked", 2, "held", 2, "delayed", 1) : Map.of("nacked", 2, "held", 2));
                assertThat(receiveFor(c2, Duration.ofSeconds(3))).isEmpty();
            } finally {
                try {
                    before.close();
                } catch (RuntimeException alreadyDead) {
                    // its connections are gone
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void aValueThatLooksLikeAnEnvelopeButIsBrokenIsSetAside(String mode) {
        String topic = fresh(mode + "-broken");
        String prefix = "anymq:{" + topic + "}:" + mode + ":";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer consumer = client.consumer(topic, "g");
            byte[] broken = EnvelopeCodec.encode(Message.builder().payload("x").id("b").build());
            broken[broken.length - 1] ^= 0x55;
            if (mode.equals("list")) {
                nc.sync().lpush(bytes(prefix + "g:ready"), broken);
            } else {
                nc.sync().zadd(bytes(prefix + "g:due"), 0, broken);
            }
            client.producer(topic).send("good").join();
            Delivery d = receive(consumer);
            assertThat(d.message().payloadAsString()).isEqualTo("good");
            d.ack().join();
            Optional<Delivery> more = consumer.receive(Duration.ofMillis(500));
            assertThat(more).isEmpty();
            assertThat(nc.sync().lrange(bytes(prefix + "g:invalid"), 0, -1)).singleElement().isEqualTo(broken);
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void listALateAckTakesOutTheValueThatWasGivenBack() {
        String topic = fresh("list-lateack");
        String prefix = "anymq:{" + topic + "}:list:g:";
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<byte[], byte[]> nc = nativeClient.connect(ByteArrayCodec.INSTANCE);
             MessagingClient client = Messaging.connect(broker.url() + "?mode=list")) {
            Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(30)).build());
            client.producer(topic).send(Message.builder().payload("slow").id("slow-1").build()).join();
            Delivery d = receive(c);
            // what a member's take does once the ack deadline passed: the value goes back to the consuming end
            byte[] tag = nc.sync().zrange(bytes(prefix + "inflight"), 0, -1).get(0);
            byte[] value = nc.sync().hget(bytes(prefix + "pending"), tag);
            nc.sync().zrem(bytes(prefix + "inflight"), tag);
            nc.sync().hdel(bytes(prefix + "pending"), tag);
            nc.sync().rpush(bytes(prefix + "ready"), value);
            d.ack().join();
            assertThat(nc.sync().llen(bytes(prefix + "ready"))).isZero();
            assertThat(nc.sync().hlen(bytes(prefix + "deliveries"))).isZero();
            assertThat(c.receive(Duration.ofMillis(500))).isEmpty();
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }

    @Test
    void zsetALateAckIsRefusedAndTheNewHoldersNackGivesTheEntryBack() {
        String topic = fresh("zset-lateack");
        ConsumerOptions options = ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(1)).build();
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=zset");
             MessagingClient other = Messaging.connect(broker.url() + "?mode=zset")) {
            Consumer slow = client.consumer(options);
            Consumer fast = other.consumer(options);
            client.producer(topic).send(Message.builder().payload("slow").id("slow-2").build()).join();
            Delivery first = receive(slow);
            Delivery second = receive(fast); // after the ack timeout, with count 2
            assertThat(second.message().id()).isEqualTo("slow-2");
            assertThat(second.deliveryCount()).isEqualTo(2);
            // late: the entry is the new holder's now (#22: an ack here used to end it, and the nack below was void: lost)
            assertThatThrownBy(() -> first.ack().join()).satisfies(e -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                assertThat(cause).isInstanceOf(io.anymq.SettlementException.class);
                assertThat(((io.anymq.SettlementException) cause).reason()).isEqualTo(io.anymq.SettlementException.Reason.EXPIRED);
            });
            second.nack(Duration.ZERO).join();
            Delivery third = receive(fast);
            assertThat(third.message().id()).isEqualTo("slow-2");
            assertThat(third.deliveryCount()).isEqualTo(3);
            third.ack().join();
            assertThat(receiveFor(slow, Duration.ofMillis(200))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void deadLettersWaitInTheDeadLetterGroupUntilSomeoneReadsThem(String mode) {
        String topic = fresh(mode + "-dl");
        String dlq = topic + "-dlq";
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").deadLetterTopic(dlq).build());
            client.producer(topic).send(Message.builder().payload("poison").id("p-1").build()).join();
            receive(c).reject().join();
            // nobody read the dead-letter topic so far: the message waits in the group 'dead-letters'
            Delivery dead = receive(client.consumer(dlq, "dead-letters"));
            assertThat(dead.message().id()).isEqualTo("p-1");
            assertThat(dead.message().header(io.anymq.spi.ReservedHeaders.DEAD_LETTER_REASON)).isEqualTo("rejected");
            dead.ack().join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void oneTakeMovesAtMostSixteenMebibytesButAlwaysOneValue(String mode) {
        String topic = fresh(mode + "-big");
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode)) {
            Consumer c = client.consumer(topic, "g");
            Producer p = client.producer(topic);
            for (int i = 0; i < 3; i++) {
                p.send(Message.of(new byte[7 * 1024 * 1024])).join();
            }
            p.send(Message.of(new byte[16 * 1024 * 1024])).join();
            assertThat(c.receive(10, Duration.ofSeconds(10))).hasSize(2).allSatisfy(d -> d.ack().join());
            assertThat(c.receive(10, Duration.ofSeconds(10))).hasSize(1).allSatisfy(d -> d.ack().join());
            assertThat(c.receive(10, Duration.ofSeconds(10))).singleElement().satisfies(d -> {
                assertThat(d.message().payloadSize()).isEqualTo(16 * 1024 * 1024);
                d.ack().join();
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "zset"})
    void survivesKillNineInTheMiddleOfTenThousandMessages(String mode) throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.REDIS)) {
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url() + "?mode=" + mode, fresh("restart-" + mode), 10_000);
            System.out.println("redis " + mode + " kill -9: " + r);
            r.assertRecovered("redis " + mode + " kill -9");
        }
    }
}
