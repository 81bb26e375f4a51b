package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is particular to mem: (the portable contract is tested by the TCK): bounded topics, named brokers, retention. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryBackendTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The core's bookkeeping of unsettled deliveries (one entry per poll) with one delivery held while thousands
     * behind it are received and acked, alone and in batches: the held one still expires at its ack timeout and
     * comes again, and the one held at close is closed.
     */
    @Test
    void aDeliveryHeldBehindThousandsStillExpiresAndIsClosedWithTheConsumer() {
        String broker = fresh("held");
        try (MessagingClient c = Messaging.connect("mem:" + broker);
             Producer p = c.producer("t")) {
            Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").maxInFlight(16).ackTimeout(Duration.ofSeconds(1)).build());
            p.send(Message.of("held")).join();
            Delivery held = consumer.receive(WAIT).orElseThrow();
            int n = 3_000;
            for (int i = 0; i < n; i++) {
                p.send(Message.of("m" + i)).join();
            }
            int acked = 0;
            boolean single = true;
            while (acked < n) {
                List<Delivery> got = single ? consumer.receive(1, WAIT) : consumer.receive(8, WAIT);
                assertThat(got).isNotEmpty();
                for (Delivery d : got) {
                    assertThat(d.message().payloadAsString()).isNotEqualTo("held");
                    d.ack();
                    acked++;
                }
                single = !single;
            }
            assertThat(consumer.unsettled()).isEqualTo(1);
            // its ack timeout passes: the core gives it back, and it comes again
            Delivery again = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThat(again.message().payloadAsString()).isEqualTo("held");
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThatThrownBy(held::ack).isInstanceOf(io.anymq.SettlementException.class).hasMessageContaining("ack timeout");
            consumer.close();
            assertThatThrownBy(again::ack).isInstanceOf(io.anymq.SettlementException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aFullTopicRefusesWithWhenFullFail() {
        String broker = fresh("full");
        try (MessagingClient c = Messaging.connect("mem:" + broker + "?capacity=3&when-full=fail");
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            for (int i = 0; i < 3; i++) {
                p.send(Message.of("m" + i)).join();
            }
            assertThatThrownBy(() -> p.send(Message.of("m3")))
                    .isInstanceOf(BackpressureException.class)
                    .hasMessageContaining("topic 't' is full");
            // acking frees room
            Delivery d = holder.receive(WAIT).orElseThrow();
            d.ack();
            p.send(Message.of("m3")).join();
            assertThat(c.unwrap(InMemoryBroker.class).retained("t")).isEqualTo(3);
        }
    }

    @Test
    void aFullTopicBlocksUntilAGroupAcks() throws Exception {
        String broker = fresh("block");
        try (MessagingClient c = Messaging.connect("mem:" + broker + "?capacity=2&block-timeout=10s");
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.of("a")).join();
            p.send(Message.of("b")).join();
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> p.send(Message.of("c")).join());
            Thread.sleep(200);
            assertThat(third).isNotDone();
            holder.receive(WAIT).orElseThrow().ack();
            third.get(5, TimeUnit.SECONDS);
            assertThat(holder.receive(WAIT).orElseThrow().message().payloadAsString()).isEqualTo("b");
        }
    }

    @Test
    void aBlockedSendFailsAfterTheBlockTimeout() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("bt") + "?capacity=1&block-timeout=100ms");
             Consumer ignored = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.of("a")).join();
            assertThatThrownBy(() -> p.send(Message.of("b")))
                    .isInstanceOf(BackpressureException.class)
                    .hasMessageContaining("stayed full");
        }
    }

    @Test
    void withoutGroupsOldMessagesMakeRoomAndEarliestReplaysWhatIsRetained() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("ret") + "?capacity=5");
             Producer p = c.producer("t")) {
            for (int i = 0; i < 12; i++) {
                p.send(Message.of("m" + i)).join();
            }
            try (Consumer late = c.consumer(ConsumerOptions.builder("t", "late").startPosition(StartPosition.EARLIEST).build())) {
                List<String> got = new ArrayList<>();
                for (Delivery d : late.receive(100, WAIT)) {
                    got.add(d.message().payloadAsString());
                    d.ack();
                }
                assertThat(got).containsExactly("m7", "m8", "m9", "m10", "m11");
            }
        }
    }

    @Test
    void aTopicHoldsAtMostMaxBytesOfPayloadAndEarliestReplaysTheNewest() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("bytes") + "?max-bytes=16384");
             Producer p = c.producer("t")) {
            for (int i = 0; i < 40; i++) {
                byte[] kib = new byte[1024];
                kib[0] = (byte) i;
                p.send(Message.builder().payload(kib).build()).join();
            }
            InMemoryBroker broker = c.unwrap(InMemoryBroker.class);
            assertThat(broker.maxBytes()).isEqualTo(16384);
            assertThat(broker.retainedBytes("t")).isBetween(15L * 1024, 16384L);
            assertThat(broker.retained("t")).isEqualTo((int) (broker.retainedBytes("t") / 1024));
            try (Consumer late = c.consumer(ConsumerOptions.builder("t", "late").startPosition(StartPosition.EARLIEST).build())) {
                List<Integer> got = new ArrayList<>();
                for (Delivery d : late.receive(100, WAIT)) {
                    got.add((int) d.message().payload()[0]);
                    d.ack();
                }
                int first = 40 - got.size();
                assertThat(got).hasSize(broker.retained("t")).first().isEqualTo(first);
                assertThat(got).last().isEqualTo(39);
                assertThat(got).isSorted();
            }
        }
    }

    @Test
    void unackedPayloadBytesFillATopicAsUnackedMessagesDo() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("bytesfull") + "?max-bytes=4096&when-full=fail");
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.builder().payload(new byte[2048]).build()).join();
            p.send(Message.builder().payload(new byte[2048]).build()).join();
            assertThatThrownBy(() -> p.send(Message.builder().payload(new byte[1]).build()))
                    .isInstanceOf(BackpressureException.class)
                    .hasMessageContaining("topic 't' is full: 2 messages of 4096 payload bytes")
                    .hasMessageContaining("max-bytes 4096");
            p.send(Message.builder().payload(new byte[0]).build()).join(); // an empty payload takes no bytes
            holder.receive(WAIT).orElseThrow().ack();
            p.send(Message.builder().payload(new byte[2048]).build()).join();
            assertThat(c.unwrap(InMemoryBroker.class).retainedBytes("t")).isEqualTo(4096);
        }
    }

    @Test
    void aPayloadLargerThanMaxBytesIsTooLargeBeforeItIsSent() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("bytesmax") + "?max-bytes=1000");
             Producer p = c.producer("t")) {
            assertThat(c.capabilities().maxPayloadBytes()).isEqualTo(1000);
            assertThatThrownBy(() -> p.send(Message.builder().payload(new byte[1001]).build()))
                    .isInstanceOf(io.anymq.MessageTooLargeException.class);
            p.send(Message.builder().payload(new byte[1000]).build()).join();
        }
        assertThatThrownBy(() -> Messaging.connect("mem:" + fresh("bytes0") + "?max-bytes=0"))
                .isInstanceOf(io.anymq.ConfigurationException.class).hasMessageContaining("'max-bytes' must be at least 1");
    }

    @Test
    void aCapacityOutsideOneTo2Pow30IsAConfigurationError() {
        for (String capacity : List.of("0", "1073741825")) {
            assertThatThrownBy(() -> Messaging.connect("mem:" + fresh("cap") + "?capacity=" + capacity))
                    .isInstanceOf(io.anymq.ConfigurationException.class)
                    .hasMessageContaining("'capacity' must be between 1 and 1073741824: " + capacity);
        }
    }

    @Test
    void namedBrokersAreIsolatedAndClientsOfOneNameShareTopics() {
        String a = fresh("a");
        try (MessagingClient c1 = Messaging.connect("mem:" + a);
             MessagingClient c2 = Messaging.connect("mem://" + a);
             MessagingClient other = Messaging.connect("mem:" + fresh("b"));
             Consumer onC2 = c2.consumer("t", "g");
             Consumer onOther = other.consumer("t", "g");
             Producer p = c1.producer("t")) {
            p.send(Message.of("x")).join();
            assertThat(onC2.receive(WAIT)).isPresent();
            assertThat(onOther.receive(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void aGroupKeepsItsPlaceWhileNoMemberIsConnected() {
        try (MessagingClient c = Messaging.connect("mem:" + fresh("durable"));
             Producer p = c.producer("t")) {
            c.consumer("t", "g").close(); // the group exists from here
            p.send(Message.of("while-away")).join();
            try (Consumer back = c.consumer("t", "g")) {
                assertThat(back.receive(WAIT).orElseThrow().message().payloadAsString()).isEqualTo("while-away");
            }
            assertThat(c.unwrap(InMemoryBroker.class).backlog("t", "g")).isEqualTo(1);
        }
    }
}
