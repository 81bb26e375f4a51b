package io.anymq.it.nats;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.InvalidMessageException;
import io.anymq.InvalidNameException;
import io.anymq.MalformedUrlException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.it.BrokerRestartDrill;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** NATS beyond the suite: interop with plain jnats both ways, bad input, and JetStream across kill -9. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsBackendIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.NATS);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Connection nativeConnection() throws Exception {
        return Nats.connect(broker.nativeProperties().get("server"));
    }

    @Test
    void coreInteropBothWays() throws Exception {
        String topic = fresh("interop.core");
        try (MessagingClient client = Messaging.connect(broker.url()); Connection nc = nativeConnection()) {
            Consumer consumer = client.consumer(topic, "g");
            Headers h = new Headers().add("trace", "abc").add("anymq-key", "k1");
            nc.publish(NatsMessage.builder().subject(topic).headers(h).data("from jnats".getBytes(StandardCharsets.UTF_8)).build());
            nc.flush(Duration.ofSeconds(5));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from jnats");
            assertThat(d.message().header("trace")).isEqualTo("abc");
            assertThat(d.message().key()).isEqualTo("k1");
            d.ack();

            Subscription sub = nc.subscribe(topic);
            nc.flush(Duration.ofSeconds(5));
            String generatedId;
            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("from anymq").key("k2").id("id-42").header("trace", "xyz").build()).join();
                generatedId = p.send(Message.of("bare")).join().messageId();
                p.flush();
            }
            io.nats.client.Message m = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("from anymq");
            assertThat(m.getHeaders().getFirst("trace")).isEqualTo("xyz");
            assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("id-42");
            assertThat(m.getHeaders().getFirst("anymq-key")).isEqualTo("k2");
            // a message whose generated id is all it carries travels without headers, the id as its reply subject
            io.nats.client.Message bare = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(new String(bare.getData(), StandardCharsets.UTF_8)).isEqualTo("bare");
            assertThat(bare.hasHeaders()).isFalse();
            assertThat(bare.getReplyTo()).isEqualTo("_mq." + generatedId);
        }
    }

    @Test
    void withoutGeneratedIdsAMessageTravelsAsAPlainPublishAndIsNamedOnArrival() throws Exception {
        String topic = fresh("interop.noids");
        try (MessagingClient client = Messaging.connect(broker.url() + "?send-generated-ids=false"); Connection nc = nativeConnection()) {
            Subscription sub = nc.subscribe(topic);
            nc.flush(Duration.ofSeconds(5));
            try (Producer p = client.producer(topic)) {
                p.send(Message.of("bare")).join();
                p.send(Message.builder().payload("named").id("order-7").build()).join();
                p.send(Message.builder().payload("keyed").key("k").build()).join();
                p.flush();
            }
            io.nats.client.Message bare = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(new String(bare.getData(), StandardCharsets.UTF_8)).isEqualTo("bare");
            assertThat(bare.hasHeaders()).isFalse();
            assertThat(bare.getReplyTo()).isNull(); // exactly what jnats' publish(subject, bytes) sends
            io.nats.client.Message named = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(named.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("order-7"); // a given id travels
            io.nats.client.Message keyed = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(keyed.getHeaders().keySet()).containsExactly("anymq-key"); // the key travels, the generated id and time do not

            // what a plain jnats publisher sends arrives at an anymq consumer named and timed
            Consumer consumer = client.consumer(topic, "g");
            java.time.Instant before = java.time.Instant.now().minusMillis(1);
            nc.publish(topic, "from jnats".getBytes(StandardCharsets.UTF_8));
            nc.flush(Duration.ofSeconds(5));
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from jnats");
            assertThat(d.message().id()).hasSize(26);
            assertThat(d.message().timestamp()).isAfterOrEqualTo(before).isBeforeOrEqualTo(java.time.Instant.now());
            d.ack();
        }
    }

    @Test
    void withoutGeneratedIdsTenThousandMessagesToConcurrentHandlersArriveEachWithItsOwnName() throws Exception {
        String topic = fresh("volume.noids");
        int count = 10_000;
        try (MessagingClient client = Messaging.connect(broker.url() + "?send-generated-ids=false")) {
            Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Set<String> payloads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(count);
            try (Consumer consumer = client.consumer(topic, "g");
                 io.anymq.Subscription sub = consumer.subscribe(d -> {
                     ids.add(d.message().id());
                     payloads.add(d.message().payloadAsString());
                     all.countDown();
                 }, io.anymq.SubscribeOptions.concurrency(8));
                 Producer p = client.producer(topic)) {
                for (int i = 0; i < count; i++) {
                    p.send(Message.of("m-" + i));
                    if (i % 1_000 == 999) {
                        p.flush(); // at-most-once: keep within what the subscriber's buffer holds
                    }
                }
                p.flush();
                assertThat(all.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("arrived: %d of %d", count - all.getCount(), count).isTrue();
            }
            assertThat(payloads).hasSize(count);
            assertThat(ids).hasSize(count);
        }
    }

    @Test
    void jetStreamInteropBothWays() throws Exception {
        String topic = fresh("interop.js");
        try (MessagingClient client = Messaging.connect(broker.url() + "?jetstream=true"); Connection nc = nativeConnection()) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            Headers h = new Headers().add("trace", "abc").add("Nats-Msg-Id", "native-1").add("multi", "1", "2").add("multi", "3");
            nc.jetStream().publish(NatsMessage.builder().subject(topic).headers(h).data("from jnats".getBytes(StandardCharsets.UTF_8)).build());
            Delivery d = consumer.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.message().payloadAsString()).isEqualTo("from jnats");
            assertThat(d.message().header("trace")).isEqualTo("abc");
            assertThat(d.message().id()).isEqualTo("native-1");
            assertThat(d.message().headerValues("multi")).as("a multi-valued NATS header keeps every value").containsExactly("1", "2", "3");
            assertThatThrownBy(() -> d.message().header("multi")).isInstanceOf(io.anymq.RepeatedHeaderException.class);
            d.ack().join();

            try (Producer p = client.producer(topic)) {
                p.send(Message.builder().payload("from anymq").id("id-43").header("trace", "xyz").addHeader("multi", "a")
                        .addHeader("multi", "b").build()).join();
            }
            String stream = topic.replace(".", "_d").replace("-", "-");
            nc.jetStreamManagement().addOrUpdateConsumer(stream, io.nats.client.api.ConsumerConfiguration.builder()
                    .durable("native").filterSubject(topic).build());
            JetStreamSubscription sub = nc.jetStream().subscribe(topic, PullSubscribeOptions.bind(stream, "native"));
            List<io.nats.client.Message> got = sub.fetch(10, Duration.ofSeconds(3));
            assertThat(got).extracting(m -> new String(m.getData(), StandardCharsets.UTF_8)).containsExactly("from jnats", "from anymq");
            assertThat(got.get(1).getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("id-43");
            assertThat(got.get(1).getHeaders().get("multi")).containsExactly("a", "b");
            got.forEach(io.nats.client.Message::ack);
        }
    }

    /**
     * nats-server closes a connection that falls its max_pending (64 MB) behind, and what it had sent comes again only after
     * AckWait: the members of one client ask together for no more than {@code pull-max-bytes}. Here 4 MiB for four members:
     * a share of one message of max_payload each (~1.06 MiB, 16 messages of 64 KiB), where the prefetch alone (256 each)
     * would have taken all 600 messages of the stream. Then every message arrives once, through requests that their bytes end.
     */
    @Test
    void membersOfOneClientAskForNoMoreThanThePullBytesOfLargeMessages() throws Exception {
        String topic = fresh("pull.bytes");
        int count = 600;
        byte[] payload = new byte[64 * 1024];
        try (MessagingClient client = Messaging.connect(broker.url() + "?jetstream=true&pull-max-bytes=" + 4 * 1024 * 1024);
             Connection nc = nativeConnection()) {
            List<Consumer> members = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                members.add(client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build()));
            }
            try (Producer p = client.producer(topic)) {
                List<CompletableFuture<Receipt>> sent = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ByteBuffer.wrap(payload).putInt(0, i);
                    sent.add(p.send(Message.builder().payload(payload).build()));
                }
                sent.forEach(CompletableFuture::join);
            }
            List<Delivery> held = new ArrayList<>();
            for (Consumer c : members) {
                c.receive(Duration.ofSeconds(3)).ifPresent(held::add); // each member's first pull request
            }
            Thread.sleep(1_500); // the requests expire: what the server sent is all they asked for
            long sentToMembers = nc.jetStreamManagement().getConsumers(topic.replace(".", "_d")).stream()
                    .mapToLong(ConsumerInfo::getNumAckPending).sum();
            assertThat(sentToMembers).as("messages the server sent to the four members, unacked").isBetween(4L, 4L * 24);
            assertThat(held).as("every member got a message").hasSize(4);

            held.forEach(d -> d.ack().join());
            Set<Integer> seen = new HashSet<>();
            for (Delivery d : held) {
                seen.add(ByteBuffer.wrap(d.message().payload()).getInt(0));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int redelivered = 0;
            while (seen.size() < count && System.nanoTime() < deadline) {
                for (Consumer c : members) {
                    for (Delivery d : c.receive(64, Duration.ofMillis(50))) {
                        if (!seen.add(ByteBuffer.wrap(d.message().payload()).getInt(0)) || d.deliveryCount() > 1) {
                            redelivered++;
                        }
                        d.ack().join();
                    }
                }
            }
            assertThat(seen).hasSize(count);
            assertThat(redelivered).as("nothing delivered twice").isZero();
        }
    }

    @Test
    void nativeSettingsPassThroughAndUnwrapGivesTheConnection() {
        try (MessagingClient client = Messaging.connect(broker.url() + "?nats.name=custom-name")) {
            Connection native_ = client.unwrap(Connection.class);
            assertThat(native_.getOptions().getConnectionName()).isEqualTo("custom-name");
            assertThat(native_.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void badInputGivesTypedErrorsFast() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect("nats://127.0.0.1:1")).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Messaging.connect("nats://127.0.0.1:notaport")).isInstanceOf(MalformedUrlException.class);
        try (MessagingClient client = Messaging.connect(broker.url() + "?jetstream=true")) {
            assertThatThrownBy(() -> client.producer("bad topic")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> client.consumer("t", "bad*group")).isInstanceOf(InvalidNameException.class);
            long max = client.capabilities().maxPayloadBytes();
            try (Producer p = client.producer(fresh("big"))) {
                assertThatThrownBy(() -> p.send(Message.of(new byte[(int) max + 1]))).isInstanceOf(MessageTooLargeException.class);
            }
        }
    }

    /**
     * A stream stores at most 65,535 bytes of headers with a message (nats-server's error 10097): a message under it travels
     * exact, one over it is refused at send with a typed error, and the producer goes on (it was reported as a lost
     * connection, the message "in doubt", although the server had answered).
     */
    @Test
    void jetStreamCarriesHeadersUpToWhatAStreamStoresAndRefusesMoreAtSend() throws Exception {
        String topic = fresh("headers");
        String under = "u".repeat(65_000);
        try (MessagingClient client = Messaging.connect(broker.url() + "?jetstream=true");
             Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = client.producer(topic)) {
            p.send(Message.builder().payload("under").id("under").header("big", under).build()).join();
            assertThatThrownBy(() -> p.send(Message.builder().payload("over").id("over").header("big", "o".repeat(70_000)).build()))
                    .isInstanceOf(InvalidMessageException.class).hasMessageContaining("65535 bytes of headers");
            p.send(Message.builder().payload("after").id("after").build()).join();
            Delivery first = c.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(first.message().id()).isEqualTo("under");
            assertThat(first.message().header("big")).isEqualTo(under);
            first.ack().join();
            Delivery second = c.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(second.message().id()).isEqualTo("after");
            second.ack().join();
        }
    }

    @Test
    void credentialsAndTls() throws Exception {
        try (Broker secured = TestBrokers.provide(BrokerKind.NATS, BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            String trust = "&tls.truststore=" + secured.nativeProperties().get("truststore.path")
                    + "&tls.truststore-password=" + secured.nativeProperties().get("truststore.password");
            String good = "nats://app:s3cret@127.0.0.1:" + secured.port() + "?tls=true&jetstream=true" + trust;
            try (MessagingClient client = Messaging.connect(good)) {
                String topic = fresh("tls");
                Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
                client.producer(topic).send("over tls").join();
                assertThat(c.receive(Duration.ofSeconds(10)).orElseThrow().message().payloadAsString()).isEqualTo("over tls");
                assertThat(client.toString()).doesNotContain("s3cret");
            }
            String wrong = "nats://app:wrong-pw@127.0.0.1:" + secured.port() + "?tls=true" + trust;
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Messaging.connect(wrong)).isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /**
     * A flush and a new consumer from a thread whose interrupt flag is set are carried out, keep the flag, and leave
     * the connection working for every thread. jnats drops the protocol messages an interrupted thread hands it: a
     * dropped PING left its PONG future queued, which then took the answer to every next PING, so that every later
     * flush and every new core subscription of the client timed out after 10 s; a dropped SUB made a consumer that
     * never received.
     */
    @Test
    void aFlushAndASubscriptionFromAThreadWithItsInterruptFlagSetLeaveTheConnectionWorking() {
        try (MessagingClient client = Messaging.connect(broker.url())) {
            String topic = fresh("flagged");
            Producer producer = client.producer(topic);
            producer.send("before").join();
            Thread.currentThread().interrupt();
            boolean flagKept;
            Consumer flagged;
            try {
                producer.flush();
                flagged = client.consumer(topic, "flagged");
            } finally {
                flagKept = Thread.interrupted();
            }
            assertThat(flagKept).as("the interrupt flag is kept").isTrue();
            long t0 = System.nanoTime();
            Consumer later = client.consumer(topic, "later");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a new subscription afterwards").isLessThan(Duration.ofSeconds(2));
            t0 = System.nanoTime();
            producer.send("after").join();
            producer.flush();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a flush afterwards").isLessThan(Duration.ofSeconds(2));
            assertThat(flagged.receive(Duration.ofSeconds(5))).as("the consumer made on the flagged thread receives")
                    .hasValueSatisfying(d -> assertThat(d.message().payloadAsString()).isEqualTo("after"));
            assertThat(later.receive(Duration.ofSeconds(5))).hasValueSatisfying(d -> assertThat(d.message().payloadAsString()).isEqualTo("after"));
        }
    }

    /**
     * Core NATS, the broker away: a producer's close ends at its timeout, saying not everything is known to have
     * gone out, and a flush says at once why it cannot. The driver flushed twice, each waiting jnats' 10 s for an
     * answer that could not come: a 3 s close took 20 s.
     */
    @Test
    void aCoreProducerClosedWhileTheBrokerIsAwayEndsAtItsTimeout() throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.NATS)) {
            try (MessagingClient client = Messaging.connect(own.url())) {
                Producer flushed = client.producer(fresh("away"));
                Producer closed = client.producer(fresh("away"));
                closed.send("before").join();
                own.stop();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.health().state() != Health.State.CONNECTED);
                closed.send("while away").join(); // taken into jnats' buffer for the reconnection (at most once)
                long t0 = System.nanoTime();
                assertThatThrownBy(flushed::flush).isInstanceOf(ConnectionException.class).hasMessageContaining("reconnection");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the flush").isLessThan(Duration.ofSeconds(2));
                t0 = System.nanoTime();
                assertThat(closed.close(Duration.ofSeconds(3))).as("whether everything is known to have gone out").isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the close").isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void jetStreamSurvivesKillNineInTheMiddleOfTenThousandMessages() throws Exception {
        try (Broker own = TestBrokers.provide(BrokerKind.NATS)) {
            BrokerRestartDrill.Result r = BrokerRestartDrill.run(own, own.url() + "?jetstream=true", fresh("restart"), 10_000);
            System.out.println("nats jetstream kill -9: " + r);
            r.assertRecovered("nats jetstream kill -9");
        }
    }
}
