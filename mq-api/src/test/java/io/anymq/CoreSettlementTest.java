package io.anymq;

import io.anymq.fake.OnAFakeBroker;
import io.anymq.fake.FakeDelivery;
import io.anymq.spi.ReservedHeaders;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The core's settlement bookkeeping, checked call by call against a scripted driver. */
class CoreSettlementTest extends OnAFakeBroker {
    private Delivery receiveOne(Consumer consumer, int deliveryCount) {
        broker.deliver(consumer.topic(), Message.builder().payload("m").id("id-1").build(), deliveryCount);
        return consumer.receive(Duration.ofSeconds(5)).orElseThrow();
    }

    private FakeDelivery lastDelivered(Delivery d) {
        return scripted.get(scripted.size() - 1);
    }

    private final List<FakeDelivery> scripted = new ArrayList<>();

    private Delivery deliver(Consumer consumer, int deliveryCount) {
        scripted.add(broker.deliver(consumer.topic(), Message.builder().payload("m").id("id-" + scripted.size()).build(), deliveryCount));
        return consumer.receive(Duration.ofSeconds(5)).orElseThrow();
    }

    @Test
    void aDeliverySettlesOnceAndASecondSettlementIsRefusedWithoutEffect() {
        try (Consumer consumer = client.consumer("t", "g")) {
            Delivery d = deliver(consumer, 1);
            assertThat(consumer.unsettled()).isEqualTo(1);
            d.ack().join();
            assertThat(d.isSettled()).isTrue();
            assertThat(consumer.unsettled()).isZero();
            assertThatThrownBy(d::ack).isInstanceOf(SettlementException.class)
                    .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.ALREADY_SETTLED));
            assertThatThrownBy(() -> d.nack(Duration.ZERO)).isInstanceOf(SettlementException.class);
            assertThatThrownBy(d::reject).isInstanceOf(SettlementException.class);
            assertThat(lastDelivered(d).settlements).containsExactly("ack");
        }
    }

    @Test
    void exactlyOneOfRacingSettlementsWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").maxInFlight(1000).build())) {
            for (int round = 0; round < 200; round++) {
                Delivery d = deliver(consumer, 1);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int which = t;
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            if (which % 2 == 0) {
                                d.ack();
                            } else {
                                d.nack(Duration.ofMillis(1));
                            }
                            return true;
                        } catch (SettlementException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int wins = 0;
                for (Future<Boolean> f : attempts) {
                    wins += f.get(5, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(wins).isEqualTo(1);
                assertThat(scripted.get(round).settlements).hasSize(1);
            }
            assertThat(consumer.unsettled()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredDeliveryIsReleasedToTheGroupAndItsLateAckIsRefused() {
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofMillis(100)).build())) {
            Delivery d = deliver(consumer, 1);
            await().atMost(Duration.ofSeconds(5)).until(d::isSettled);
            assertThat(scripted.get(0).settlements).containsExactly("release");
            assertThatThrownBy(d::ack).isInstanceOf(SettlementException.class)
                    .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.EXPIRED));
            assertThat(consumer.unsettled()).isZero();
        }
    }

    @Test
    void whereTheBrokerRedeliversByItselfAnExpiredDeliveryIsNotReleasedAndItsLateSettlementsAreRefused() {
        broker.enforcesAckTimeout.set(true);
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofMillis(100)).maxInFlight(1).build())) {
            Delivery d = deliver(consumer, 1);
            assertThat(consumer.unsettled()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(d::isSettled);
            assertThat(consumer.unsettled()).as("the expired delivery gives its room back").isZero();
            for (org.junit.jupiter.api.function.Executable late : List.<org.junit.jupiter.api.function.Executable>of(
                    d::ack, () -> d.nack(Duration.ZERO), d::reject)) {
                assertThatThrownBy(late::execute).isInstanceOf(SettlementException.class)
                        .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.EXPIRED));
            }
            consumer.close();
            assertThat(scripted.get(0).settlements).as("the broker redelivers: the core neither releases nor settles it").isEmpty();
        }
    }

    @Test
    void aSettlementTheDriverThrowsFromFailsItsFutureAndGivesTheMessageBack() {
        try (Consumer consumer = client.consumer("t", "g")) {
            for (String kind : List.of("ack", "nack", "reject")) {
                Delivery d = deliver(consumer, 1);
                FakeDelivery driver = scripted.get(scripted.size() - 1);
                IllegalStateException broken = new IllegalStateException("the client library's channel is closed");
                driver.settleThrows = broken;
                java.util.concurrent.CompletableFuture<Void> f = switch (kind) {
                    case "ack" -> d.ack();
                    case "nack" -> d.nack(Duration.ZERO);
                    default -> d.reject();
                };
                assertThat(f).as(kind).isCompletedExceptionally();
                assertThatThrownBy(f::join).hasCauseInstanceOf(MessagingException.class).hasRootCause(broken);
                assertThat(driver.settlements).as(kind + ": not carried out, so the message goes back to the group").containsExactly("release");
                assertThat(consumer.unsettled()).isZero();
            }
        }
    }

    @Test
    void aReleaseThatThrowsDoesNotStopTheAckTimeoutOfLaterDeliveries() {
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofMillis(300)).build())) {
            Delivery first = deliver(consumer, 1);
            scripted.get(0).releaseThrows = new IllegalStateException("connection closed");
            await().atMost(Duration.ofSeconds(5)).until(first::isSettled);
            Delivery second = deliver(consumer, 1);
            await().atMost(Duration.ofSeconds(5)).until(second::isSettled);
            assertThat(scripted.get(1).settlements).containsExactly("release");
        }
    }

    @Test
    void aReleaseThatThrowsAtCloseDoesNotStopTheClose() {
        Consumer consumer = client.consumer("t", "g");
        deliver(consumer, 1);
        deliver(consumer, 1);
        scripted.get(0).releaseThrows = new IllegalStateException("connection closed");
        consumer.close();
        assertThat(scripted.get(1).settlements).containsExactly("release");
        assertThatThrownBy(() -> consumer.receive(Duration.ZERO)).isInstanceOf(ClosedException.class);
    }

    @Test
    void aSettlementJustAfterTheDeadlineIsRefused() {
        broker.enforcesAckTimeout.set(true);
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofMillis(300)).build())) {
            Delivery d = deliver(consumer, 1);
            long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
            // ack right at the deadline: refused whether or not the sweep (every 30 ms) got there first
            while (System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(d::ack).isInstanceOf(SettlementException.class)
                    .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.EXPIRED));
            assertThat(scripted.get(0).settlements).isEmpty();
        }
    }

    @Test
    void closingAConsumerReleasesWhatItHeld() {
        Consumer consumer = client.consumer("t", "g");
        Delivery a = deliver(consumer, 1);
        Delivery b = deliver(consumer, 1);
        b.ack();
        consumer.close();
        consumer.close(); // a second close is a no-op
        assertThat(scripted.get(0).settlements).containsExactly("release");
        assertThat(scripted.get(1).settlements).containsExactly("ack");
        assertThatThrownBy(a::ack).isInstanceOf(SettlementException.class)
                .satisfies(e -> assertThat(((SettlementException) e).reason()).isEqualTo(SettlementException.Reason.CONSUMER_CLOSED));
        assertThatThrownBy(() -> consumer.receive(Duration.ZERO)).isInstanceOf(ClosedException.class);
        assertThat(broker.calls).contains("consumer.close t g");
    }

    @Test
    void nackPassesTheDelayAndRefusesANegativeOne() {
        try (Consumer consumer = client.consumer("t", "g")) {
            Delivery d = deliver(consumer, 1);
            assertThatThrownBy(() -> d.nack(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(d.isSettled()).isFalse();
            d.nack(Duration.ofSeconds(3)).join();
            assertThat(scripted.get(0).settlements).containsExactly("nack PT3S");
        }
    }

    @Test
    void theLastAllowedNackDeadLettersWithTheReasonAndAcks() {
        ConsumerOptions options = ConsumerOptions.builder("t", "g").maxDeliveries(3).deadLetterTopic("t-dlq").build();
        try (Consumer consumer = client.consumer(options)) {
            Delivery early = deliver(consumer, 2);
            early.nack(Duration.ZERO).join();
            assertThat(scripted.get(0).settlements).containsExactly("nack PT0S");

            Delivery last = deliver(consumer, 3);
            last.nack(Duration.ZERO).join();
            assertThat(scripted.get(1).settlements).containsExactly("ack");
            Message dead = broker.sent("t-dlq").get(0);
            assertThat(dead.id()).isEqualTo(last.message().id());
            assertThat(dead.header(ReservedHeaders.DEAD_LETTER_REASON)).isEqualTo("max-deliveries");
            assertThat(dead.header(ReservedHeaders.ORIGINAL_TOPIC)).isEqualTo("t");
            assertThat(dead.header(ReservedHeaders.ORIGINAL_GROUP)).isEqualTo("g");
            assertThat(dead.header(ReservedHeaders.DELIVERY_COUNT)).isEqualTo("3");
        }
    }

    @Test
    void aRejectGoesToTheDeadLetterTopicOrIsDropped() {
        try (Consumer withDlq = client.consumer(ConsumerOptions.builder("t", "g").deadLetterTopic("t-dlq").build())) {
            deliver(withDlq, 1).reject().join();
            assertThat(scripted.get(0).settlements).containsExactly("ack");
            assertThat(broker.sent("t-dlq")).singleElement()
                    .satisfies(m -> assertThat(m.header(ReservedHeaders.DEAD_LETTER_REASON)).isEqualTo("rejected"));
        }
        try (Consumer plain = client.consumer("u", "g")) {
            deliver(plain, 1).reject().join();
            assertThat(scripted.get(1).settlements).containsExactly("reject");
        }
    }

    @Test
    void aDriverThatDeadLettersAtomicallyIsAskedToInsteadOfSendThenAck() {
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").deadLetterTopic("t-dlq").build())) {
            Delivery d = deliver(consumer, 1);
            scripted.get(0).atomicDeadLetter = true;
            d.reject().join();
            assertThat(scripted.get(0).settlements).containsExactly("dead-letter t-dlq rejected");
            assertThat(broker.sent("t-dlq")).isEmpty();
        }
    }

    @Test
    void aMessageOverTheMaximumOnArrivalIsDeadLetteredNotHandedOut() {
        ConsumerOptions options = ConsumerOptions.builder("t", "g").maxDeliveries(2).deadLetterTopic("t-dlq").build();
        try (Consumer consumer = client.consumer(options)) {
            scripted.add(broker.deliver("t", Message.builder().payload("x").id("late").build(), 3));
            assertThat(consumer.receive(Duration.ofMillis(300))).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> !broker.sent("t-dlq").isEmpty());
            assertThat(scripted.get(0).settlements).containsExactly("ack");
        }
    }

    @Test
    void theInFlightWindowBoundsWhatAConsumerHolds() {
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").maxInFlight(2).build())) {
            for (int i = 0; i < 3; i++) {
                scripted.add(broker.deliver("t", Message.builder().payload("x").id("w" + i).build(), 1));
            }
            List<Delivery> got = consumer.receive(10, Duration.ofSeconds(2));
            assertThat(got).hasSize(2);
            assertThat(consumer.receive(Duration.ofMillis(200))).isEmpty();
            got.get(0).ack();
            assertThat(consumer.receive(Duration.ofSeconds(2))).isPresent();
        }
    }

    @Test
    void receiveWaitsWhileBatchedSettlementsLagAndGoesOnWhenTheyCatchUp() {
        broker.settlementBatch.set(8);
        broker.confirmSettlements.set(false);
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").maxInFlight(4).build())) {
            for (int i = 0; i < 40; i++) {
                broker.deliver("t", Message.builder().payload("m").id("id-" + i).build(), 1);
            }
            int received = receiveAndAckUntilDry(consumer);
            // the bound is twice the larger of the batch and the in-flight bound: 16 acks on the way, then receive waits
            assertThat(received).isEqualTo(16);
            assertThat(consumer.unsettled()).isZero();
            while (received < 40) {
                broker.completeSettlements();
                received += receiveAndAckUntilDry(consumer);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.completeSettlements() == 0
                    && broker.settlementCalls.stream().mapToInt(Integer::intValue).sum() == 40);
            assertThat(broker.settlementCalls).allSatisfy(size -> assertThat(size).isBetween(1, 8));
        }
    }

    private static int receiveAndAckUntilDry(Consumer consumer) {
        int n = 0;
        List<Delivery> got;
        while (!(got = consumer.receive(4, Duration.ofMillis(200))).isEmpty()) {
            got.forEach(Delivery::ack);
            n += got.size();
        }
        return n;
    }

    @Test
    void closeWaitsForTheBatchedSettlementsOnTheWayBeforeItClosesTheDriver() throws Exception {
        broker.settlementBatch.set(8);
        broker.confirmSettlements.set(false);
        Consumer consumer = client.consumer("t", "g");
        for (int i = 0; i < 20; i++) {
            broker.deliver("t", Message.builder().payload("m").id("id-" + i).build(), 1);
        }
        List<Delivery> acked = new ArrayList<>();
        while (acked.size() < 20) {
            List<Delivery> got = consumer.receive(20, Duration.ofSeconds(5));
            got.forEach(Delivery::ack);
            acked.addAll(got);
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> closing = pool.submit(consumer::close);
            Thread.sleep(300);
            assertThat(closing).isNotDone();
            assertThat(broker.calls).doesNotContain("consumer.close t g");
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                broker.completeSettlements();
                return closing.isDone();
            });
            closing.get();
            assertThat(broker.settlementCalls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
            assertThat(acked).allSatisfy(d -> assertThat(d.isSettled()).isTrue());
            assertThat(broker.calls).contains("consumer.close t g");
        } finally {
            pool.shutdownNow();
        }
    }
}
