package io.anymq.bridge;

import io.anymq.ConfigurationException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.inmemory.InMemoryBroker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BridgeTest {
    private static final Duration SHORT_IDLE = Duration.ofMillis(400);

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A message whose every field says which one it is: binary payload, key, two headers, id, timestamp. */
    private static Message numbered(int i, String key) {
        byte[] payload = ("m" + i + ":").getBytes(StandardCharsets.UTF_8);
        byte[] withBinary = new byte[payload.length + 3];
        System.arraycopy(payload, 0, withBinary, 0, payload.length);
        withBinary[payload.length] = (byte) 0xC3;
        withBinary[payload.length + 1] = (byte) 0x28;
        withBinary[payload.length + 2] = (byte) (i & 0xFF);
        return Message.builder().payload(withBinary).key(key).header("seq", Integer.toString(i)).header("Trace-ID", "t-" + i)
                .id("id-" + i).timestamp(Instant.ofEpochMilli(1_700_000_000_000L + i)).build();
    }

    private static List<Message> sendAll(MessagingClient client, String topic, int n, int keys) {
        List<Message> sent = new ArrayList<>();
        try (Producer p = client.producer(topic)) {
            for (int i = 0; i < n; i++) {
                Message m = numbered(i, keys == 0 ? null : "k" + (i % keys));
                sent.add(m);
                p.send(m);
            }
            p.flush();
        }
        return sent;
    }

    /** Every message of the topic for this (new) group, until nothing came for a second. */
    private static List<Message> drain(Consumer consumer) {
        List<Message> got = new ArrayList<>();
        while (true) {
            List<Delivery> batch = consumer.receive(500, Duration.ofSeconds(1));
            if (batch.isEmpty()) {
                return got;
            }
            for (Delivery d : batch) {
                got.add(d.message());
                d.ack();
            }
        }
    }

    @Test
    void copiesEveryMessageUnchangedAndStopsWhenTheSourceIsDrained() {
        String src = "mem:" + fresh("src");
        String dst = "mem:" + fresh("dst");
        try (MessagingClient s = Messaging.connect(src); MessagingClient d = Messaging.connect(dst);
             Consumer check = d.consumer(ConsumerOptions.builder("copy", "check").startPosition(StartPosition.EARLIEST).build())) {
            List<Message> sent = sendAll(s, "orders", 1000, 0);
            List<String> notes = new CopyOnWriteArrayList<>();
            BridgeProgress done;
            try (Bridge bridge = Bridge.builder().source(src).sourceTopic("orders").group("bridge")
                    .startPosition(StartPosition.EARLIEST).destination(dst).destinationTopic("copy")
                    .untilEmpty(true).idleTimeout(SHORT_IDLE).listener(new BridgeListener() {
                        @Override
                        public void onStart(List<String> n) {
                            notes.addAll(n);
                        }
                    }).build()) {
                done = bridge.run();
            }
            assertThat(done.copied()).isEqualTo(1000);
            assertThat(done.deadLettered()).isZero();
            List<Message> got = drain(check);
            assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(sent)); // Message.equals: payload, key, headers, id, timestamp
            assertThat(got).hasSize(1000);
            assertThat(s.unwrap(InMemoryBroker.class).backlog("orders", "bridge")).isZero();
            assertThat(notes).anyMatch(n -> n.contains("does not de-duplicate by id"))
                    .anyMatch(n -> n.contains("per-key order kept"));
        }
    }

    @Test
    void acksAtTheSourceOnlyAfterTheDestinationConfirmedAndRetriesUntilItDoes() {
        String src = "mem:" + fresh("src");
        String name = fresh("dst");
        FlakyProvider.Control dstControl = FlakyProvider.control(name);
        dstControl.down = true;
        try (MessagingClient s = Messaging.connect(src); MessagingClient d = Messaging.connect("mem:" + name);
             Consumer check = d.consumer(ConsumerOptions.builder("copy", "check").startPosition(StartPosition.EARLIEST).build())) {
            sendAll(s, "orders", 200, 10);
            InMemoryBroker source = s.unwrap(InMemoryBroker.class);
            try (Bridge bridge = Bridge.builder().source(src).sourceTopic("orders").group("bridge")
                    .startPosition(StartPosition.EARLIEST).destination("flaky:" + name).destinationTopic("copy")
                    .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> dstControl.failed.get() >= 40);
                assertThat(source.backlog("orders", "bridge")).isEqualTo(200); // nothing acked while the destination refuses
                assertThat(bridge.progress().copied()).isZero();
                assertThat(bridge.progress().sendRetries()).isPositive();
                dstControl.down = false;
                await().atMost(Duration.ofSeconds(10)).until(() -> source.backlog("orders", "bridge") == 0);
                assertThat(bridge.progress().copied()).isEqualTo(200);
            }
            assertThat(drain(check)).extracting(Message::id).doesNotHaveDuplicates().hasSize(200);
        }
    }

    @Test
    void aMessageTheDestinationRefusesForGoodGoesToTheDeadLetterDestinationAndTheStreamGoesOn() {
        String src = "mem:" + fresh("src");
        String dst = "mem:" + fresh("dst") + "?max-payload=100";
        String dlq = "mem:" + fresh("dlq");
        try (MessagingClient s = Messaging.connect(src); MessagingClient d = Messaging.connect(dst); MessagingClient q = Messaging.connect(dlq);
             Consumer check = d.consumer(ConsumerOptions.builder("copy", "check").startPosition(StartPosition.EARLIEST).build());
             Consumer dead = q.consumer(ConsumerOptions.builder("refused", "check").startPosition(StartPosition.EARLIEST).build())) {
            try (Producer p = s.producer("orders")) {
                for (int i = 0; i < 60; i++) {
                    byte[] payload = new byte[i % 12 == 5 ? 200 : 10];
                    p.send(Message.builder().payload(payload).id("id-" + i).header("h", "v" + i).build());
                }
                p.flush();
            }
            BridgeProgress done;
            try (Bridge bridge = Bridge.builder().source(src).sourceTopic("orders").group("bridge").startPosition(StartPosition.EARLIEST)
                    .destination(dst).destinationTopic("copy").deadLetter(dlq, "refused").concurrency(1)
                    .untilEmpty(true).idleTimeout(SHORT_IDLE).build()) {
                done = bridge.run();
            }
            assertThat(done.copied()).isEqualTo(55);
            assertThat(done.deadLettered()).isEqualTo(5);
            assertThat(drain(check)).extracting(Message::payloadSize).hasSize(55).containsOnly(10);
            List<Message> refused = drain(dead);
            assertThat(refused).extracting(Message::id).containsExactly("id-5", "id-17", "id-29", "id-41", "id-53");
            assertThat(refused).allSatisfy(m -> {
                assertThat(m.payloadSize()).isEqualTo(200);
                assertThat(m.header("h")).isEqualTo("v" + m.id().substring(3));
                assertThat(m.header("mq-bridge-error")).startsWith("MessageTooLargeException");
                assertThat(m.header("mq-bridge-source")).isEqualTo("orders");
            });
            assertThat(s.unwrap(InMemoryBroker.class).backlog("orders", "bridge")).isZero();
        }
    }

    @Test
    void withoutADeadLetterDestinationARefusalStopsTheBridgeAndLeavesTheMessageAtTheSource() {
        String src = "mem:" + fresh("src");
        String dst = "mem:" + fresh("dst") + "?max-payload=100";
        try (MessagingClient s = Messaging.connect(src)) {
            try (Producer p = s.producer("orders")) {
                p.send(Message.builder().payload(new byte[10]).id("small").build());
                p.send(Message.builder().payload(new byte[500]).id("big").build());
                p.flush();
            }
            Bridge bridge = Bridge.builder().source(src).sourceTopic("orders").group("bridge").startPosition(StartPosition.EARLIEST)
                    .destination(dst).concurrency(1).untilEmpty(true).idleTimeout(SHORT_IDLE).build();
            assertThatThrownBy(bridge::run).isInstanceOf(MessagingException.class)
                    .hasMessageContaining("big").hasMessageContaining("no dead-letter destination");
            bridge.close();
            assertThat(s.unwrap(InMemoryBroker.class).backlog("orders", "bridge")).isEqualTo(1);
        }
    }

    @Test
    void aStoppedBridgeStartedAgainWithTheSameGroupMissesNothing() {
        String src = "mem:" + fresh("src");
        String name = fresh("dst");
        FlakyProvider.control(name).maxDelayMillis = 5; // slow enough to stop it in the middle
        try (MessagingClient s = Messaging.connect(src); MessagingClient d = Messaging.connect("mem:" + name);
             Consumer check = d.consumer(ConsumerOptions.builder("copy", "check").startPosition(StartPosition.EARLIEST).build())) {
            sendAll(s, "orders", 3000, 50);
            Bridge.Builder builder = Bridge.builder().source(src).sourceTopic("orders").group("bridge")
                    .startPosition(StartPosition.EARLIEST).destination("flaky:" + name).destinationTopic("copy")
                    .untilEmpty(true).idleTimeout(SHORT_IDLE);
            long first;
            try (Bridge bridge = builder.build().start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> bridge.progress().copied() >= 500);
                bridge.close();
                first = bridge.progress().copied();
                assertThat(bridge.failure()).isNull();
            }
            assertThat(first).isBetween(500L, 2999L);
            long backlog = s.unwrap(InMemoryBroker.class).backlog("orders", "bridge");
            assertThat(backlog).isEqualTo(3000 - first); // the graceful stop acked everything it copied
            BridgeProgress second = builder.build().run();
            assertThat(first + second.copied()).isEqualTo(3000);
            List<Message> got = drain(check);
            assertThat(got).extracting(Message::id).doesNotHaveDuplicates().hasSize(3000);
        }
    }

    @Test
    void keepsPerKeyOrderWithManyLanesThroughRetriesAndUnevenConfirms() {
        String srcName = fresh("src");
        String src = "flaky:" + srcName;
        String name = fresh("dst");
        FlakyProvider.Control control = FlakyProvider.control(name);
        control.failRate = 0.1;
        control.maxDelayMillis = 3;
        int keys = 20;
        int perKey = 100;
        try (MessagingClient s = Messaging.connect("mem:" + srcName); MessagingClient d = Messaging.connect("mem:" + name);
             Consumer check = d.consumer(ConsumerOptions.builder("copy", "check").startPosition(StartPosition.EARLIEST).build())) {
            try (Producer p = s.producer("orders")) {
                for (int i = 0; i < perKey; i++) {
                    for (int k = 0; k < keys; k++) {
                        p.send(Message.builder().key("key-" + k).payload(Integer.toString(i)).build());
                    }
                }
                p.flush();
            }
            BridgeProgress done;
            try (Bridge bridge = Bridge.builder().source(src).sourceTopic("orders").group("bridge")
                    .startPosition(StartPosition.EARLIEST).destination("flaky:" + name).destinationTopic("copy")
                    .concurrency(8).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                    .untilEmpty(true).idleTimeout(SHORT_IDLE).build()) {
                done = bridge.run();
            }
            assertThat(done.copied()).isEqualTo(keys * perKey);
            assertThat(done.sendRetries()).isPositive();
            Map<String, List<Integer>> byKey = new HashMap<>();
            for (Message m : drain(check)) {
                byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(Integer.parseInt(m.payloadAsString()));
            }
            assertThat(byKey).hasSize(keys);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add(i);
            }
            byKey.forEach((k, seqs) -> assertThat(seqs).as(k).isEqualTo(expected));
        }
    }

    @Test
    void aBridgeNeedsBothSidesATopicAndAGroup() {
        assertThatThrownBy(() -> Bridge.builder().source("mem:").sourceTopic("t").destination("mem:x").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> Bridge.builder().source("mem:").sourceTopic("t").group("g").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("destination");
        assertThatThrownBy(() -> Bridge.builder().source("mem:").sourceTopic("t").group("g").destination("mem:x")
                .deadLetter("t").build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("dead-letter");
        assertThatThrownBy(() -> Bridge.builder().source("mem:").sourceTopic("bad topic").group("g").destination("mem:x").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Bridge.builder().source("mem:").sourceTopic("t").group("g").destination("mem:x")
                .sendTimeout(java.time.Duration.ofDays(1_000_000)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("sendTimeout must be at most 100 years");
    }
}
