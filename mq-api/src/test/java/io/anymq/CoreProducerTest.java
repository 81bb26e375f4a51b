package io.anymq;

import io.anymq.fake.FakeBroker;
import io.anymq.fake.FakeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the core checks and stamps before a driver sees a message, and how its window pushes back. */
class CoreProducerTest {
    private final String name = UUID.randomUUID().toString();
    private final FakeBroker broker = FakeBroker.named(name);
    private MessagingClient client = Messaging.connect("fake:" + name);

    @AfterEach
    void close() {
        broker.completeSends();
        client.close();
    }

    @Test
    void stampsIdAndTimestampAndKeepsGivenOnes() {
        try (Producer p = client.producer("t")) {
            Receipt r = p.send(Message.of("a")).join();
            Message sent = broker.sent("t").get(0);
            assertThat(sent.id()).isNotBlank().isEqualTo(r.messageId());
            assertThat(sent.timestamp()).isNotNull();
            p.send(Message.builder().payload("b").id("given").timestamp(Instant.EPOCH).build()).join();
            assertThat(broker.sent("t").get(1).id()).isEqualTo("given");
            assertThat(broker.sent("t").get(1).timestamp()).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void refusesBadMessagesBeforeTheDriverSeesThem() {
        try (Producer p = client.producer("t")) {
            assertThatThrownBy(() -> p.send(Message.of(new byte[FakeProvider.MAX_PAYLOAD + 1])))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("1025");
            assertThatThrownBy(() -> p.send(Message.builder().header("Anymq-Id", "x").build()))
                    .isInstanceOf(InvalidMessageException.class).hasMessageContaining("reserved");
            assertThatThrownBy(() -> p.send((Message) null)).isInstanceOf(InvalidMessageException.class);
            p.send(Message.of(new byte[FakeProvider.MAX_PAYLOAD])).join();
            assertThat(broker.sent("t")).hasSize(1);
        }
        assertThatThrownBy(() -> client.producer("bad topic")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> client.consumer("t", "")).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void aFullWindowFailsOrBlocksAsConfigured() {
        broker.confirmSends.set(false);
        ProducerOptions failFast = ProducerOptions.builder("t").maxInFlight(2).whenFull(ProducerOptions.WhenFull.FAIL).build();
        try (Producer p = client.producer(failFast)) {
            CompletableFuture<Receipt> a = p.send("a");
            p.send("b");
            assertThat(p.inFlight()).isEqualTo(2);
            assertThatThrownBy(() -> p.send("c")).isInstanceOf(BackpressureException.class).hasMessageContaining("2");
            broker.completeSends();
            assertThat(a).isCompleted();
            assertThat(p.inFlight()).isZero();
            CompletableFuture<Receipt> d = p.send("d");
            broker.completeSends();
            assertThat(d).isCompleted();
        }
        ProducerOptions blockBriefly = ProducerOptions.builder("u").maxInFlight(1).blockTimeout(Duration.ofMillis(100)).build();
        try (Producer p = client.producer(blockBriefly)) {
            p.send("a");
            long start = System.nanoTime();
            assertThatThrownBy(() -> p.send("b")).isInstanceOf(BackpressureException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
            broker.completeSends();
        }
    }

    @Test
    void largePayloadsTakeMorePlacesInTheWindowSoItAlsoBoundsBytes() {
        broker.confirmSends.set(false);
        // 4 places of 256 bytes: a payload up to 256 bytes takes one, 257-512 two, anything over 1,024 the whole window
        ProducerOptions o = ProducerOptions.builder("t").maxInFlight(4).maxInFlightBytes(1024).whenFull(ProducerOptions.WhenFull.FAIL).build();
        assertThat(o.windowPlaces(0)).isEqualTo(1);
        assertThat(o.windowPlaces(256)).isEqualTo(1);
        assertThat(o.windowPlaces(257)).isEqualTo(2);
        assertThat(o.windowPlaces(1024)).isEqualTo(4);
        assertThat(o.windowPlaces(Integer.MAX_VALUE)).isEqualTo(4);
        try (Producer p = client.producer(o)) {
            p.send(Message.of(new byte[512]));
            p.send(Message.of(new byte[300]));
            assertThat(p.inFlight()).isEqualTo(2); // sends, though they hold the whole window
            assertThatThrownBy(() -> p.send(Message.of(new byte[1]))).isInstanceOf(BackpressureException.class)
                    .hasMessageContaining("4 sends or 1024 payload bytes");
            broker.completeSends();
            assertThat(p.inFlight()).isZero();
            CompletableFuture<Receipt> alone = p.send(Message.of(new byte[1000])); // larger than the window's bytes would allow: it goes alone
            assertThatThrownBy(() -> p.send(Message.of(new byte[1]))).isInstanceOf(BackpressureException.class);
            broker.completeSends();
            assertThat(alone).isCompleted();
            // the defaults: 1,024 places of 16 KiB
            ProducerOptions d = ProducerOptions.of("t");
            assertThat(d.maxInFlightBytes()).isEqualTo(16L * 1024 * 1024);
            assertThat(d.windowPlaces(16 * 1024)).isEqualTo(1);
            assertThat(d.windowPlaces(64 * 1024)).isEqualTo(4);
        }
        assertThatThrownBy(() -> ProducerOptions.builder("t").maxInFlightBytes(0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxInFlightBytes");
    }

    @Test
    void closeWaitsForInFlightSendsAndLaterCallsAreRefused() {
        Producer p = client.producer("t");
        broker.confirmSends.set(false);
        CompletableFuture<Receipt> pending = p.send("a");
        new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // ends the thread
            }
            broker.completeSends();
        }).start();
        assertThat(p.close(Duration.ofSeconds(5))).isTrue();
        assertThat(pending).isCompleted();
        assertThat(broker.calls).contains("producer.close t");
        p.close();
        assertThatThrownBy(() -> p.send("late")).isInstanceOf(ClosedException.class);
    }

    @Test
    void closingTheClientClosesWhatItMade() {
        Producer p = client.producer("t");
        Consumer c = client.consumer("t", "g");
        client.close();
        assertThat(broker.calls).containsSubsequence("producer.close t", "client.close");
        assertThat(broker.calls).contains("consumer.close t g");
        assertThatThrownBy(() -> p.send("x")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> c.receive(Duration.ZERO)).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> client.producer("t")).isInstanceOf(ClosedException.class);
    }

    @Test
    void undeclaredCapabilitiesAreRefusedWhenAskedFor() {
        String n = UUID.randomUUID().toString();
        try (MessagingClient limited = Messaging.connect("fake:" + n
                + "?without=NACK_REDELIVERY,DELAYED_DELIVERY,BATCH_SEND,ACK_TIMEOUT,DEAD_LETTER,REPLAY_FROM_EARLIEST,START_AT_TIME,KEY_ORDERING,TRANSACTIONS")) {
            Producer p = limited.producer("t");
            assertThatThrownBy(() -> p.send(Message.builder().deliverAt(Instant.now()).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("DELAYED_DELIVERY");
            assertThatThrownBy(() -> p.sendBatch(List.of(Message.of("a")))).isInstanceOf(UnsupportedCapabilityException.class);
            assertThatThrownBy(limited::beginTransaction)
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("TRANSACTIONS");
            assertThatThrownBy(() -> limited.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofSeconds(1)).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("ACK_TIMEOUT");
            assertThatThrownBy(() -> limited.consumer(ConsumerOptions.builder("t", "g").deadLetterTopic("d").build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThatThrownBy(() -> limited.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThatThrownBy(() -> limited.consumer(ConsumerOptions.builder("t", "g")
                    .startPosition(StartPosition.at(Instant.now().minusSeconds(5))).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.START_AT_TIME));
            assertThatThrownBy(() -> limited.consumer(ConsumerOptions.builder("t", "g").keyOrdered(true).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            try (Consumer c = limited.consumer("t", "g")) {
                FakeBroker.named(n).deliver("t", Message.builder().payload("x").id("i").build(), 1);
                Delivery d = c.receive(Duration.ofSeconds(5)).orElseThrow();
                assertThatThrownBy(() -> d.nack(Duration.ZERO)).isInstanceOf(UnsupportedCapabilityException.class)
                        .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.NACK_REDELIVERY));
                assertThat(d.isSettled()).isFalse();
                d.ack();
            }
        }
    }
}
