package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.MessagingInterceptor;
import io.anymq.MessagingInterceptor.DeliveryContext;
import io.anymq.MessagingInterceptor.Outcome;
import io.anymq.MessagingInterceptor.SendContext;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The core's interceptor SPI, on mem:: order, contexts, every outcome, and interceptors that throw. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** Records every call as text, e.g. {@code A.before t}, {@code A.settle ACKED}. */
    static final class Recorder implements MessagingInterceptor {
        final String name;
        final List<String> calls;
        final List<SendContext> sends = new CopyOnWriteArrayList<>();
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final List<DeliveryContext> deliveries = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Recorder(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public void beforeSend(SendContext send) {
            calls.add(name + ".before " + send.topic());
            send.header("x-" + name, "seen-by-" + name);
            send.attach(name + "-attachment");
        }

        @Override
        public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
            calls.add(name + ".after " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            assertThat(send.attachment()).isEqualTo(name + "-attachment");
            sends.add(send);
            latencies.add(System.nanoTime() - send.startNanos());
            if (failure != null) {
                failures.add(failure);
            } else {
                assertThat(receipt).isNotNull();
            }
        }

        @Override
        public void onReceive(DeliveryContext delivery) {
            calls.add(name + ".receive " + delivery.message().payloadAsString() + " #" + delivery.deliveryCount());
            delivery.attach(name);
            deliveries.add(delivery);
        }

        @Override
        public void onSettle(DeliveryContext delivery, Outcome outcome, Throwable failure) {
            calls.add(name + ".settle " + delivery.message().payloadAsString() + " " + outcome
                    + (delivery.attachment() == null ? " unreceived" : ""));
        }
    }

    private static String broker() {
        return "mem:icpt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static MessagingClient connect(String url, MessagingInterceptor... interceptors) {
        return Messaging.connect(MessagingConfig.builder().url(url).interceptors(List.of(interceptors)).build());
    }

    @Test
    void sendsRunBeforeInOrderAndAfterInReverseWithHeadersLatencyAndAttachments() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Recorder a = new Recorder("A", calls);
        Recorder b = new Recorder("B", calls);
        try (MessagingClient c = connect(broker(), a, b);
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            Receipt r = p.send(Message.builder().payload("one").header("app", "1").build()).join();
            assertThat(calls).containsExactly("A.before t", "B.before t", "B.after ok", "A.after ok");
            SendContext s = a.sends.get(0);
            assertThat(s.provider()).isEqualTo("mem");
            assertThat(s.message().id()).isEqualTo(r.messageId());
            assertThat(s.message().headers()).containsEntry("app", "1").containsEntry("x-A", "seen-by-A").containsEntry("x-B", "seen-by-B");
            assertThat(a.latencies.get(0)).isPositive();
            assertThatThrownBy(() -> s.header("late", "x")).isInstanceOf(IllegalStateException.class);

            Delivery d = consumer.receive(WAIT).orElseThrow();
            assertThat(d.message().headers()).containsEntry("x-A", "seen-by-A").containsEntry("x-B", "seen-by-B");
            DeliveryContext dc = a.deliveries.get(0);
            assertThat(dc.topic()).isEqualTo("t");
            assertThat(dc.group()).isEqualTo("g");
            assertThat(dc.provider()).isEqualTo("mem");
            assertThat(dc.deliveryCount()).isEqualTo(1);
            d.ack().join();
            assertThat(calls).containsSubsequence("A.receive one #1", "B.receive one #1", "B.settle one ACKED", "A.settle one ACKED");
            assertThat(c.interceptorFailures()).isZero();
        }
    }

    @Test
    void batchesAreSeenMessageByMessage() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Recorder a = new Recorder("A", calls);
        try (MessagingClient c = connect(broker(), a); Producer p = c.producer("t")) {
            List<Receipt> rs = p.sendBatch(List.of(Message.of("1"), Message.of("2"))).join();
            assertThat(calls).containsExactly("A.before t", "A.before t", "A.after ok", "A.after ok");
            assertThat(a.sends).extracting(s -> s.message().id()).containsExactly(rs.get(0).messageId(), rs.get(1).messageId());
        }
    }

    @Test
    void everyOutcomeIsReported() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Recorder a = new Recorder("A", calls);
        try (MessagingClient c = connect(broker(), a)) {
            try (Producer p = c.producer("t")) {
                for (String s : List.of("ack", "nack", "reject", "dlq", "expire", "close")) {
                    p.send(Message.of(s)).join();
                }
            }
            ConsumerOptions o = ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST)
                    .maxDeliveries(2).deadLetterTopic("t-dlq").ackTimeout(c.capabilities().minimumAckTimeout().plusSeconds(2)).build();
            Consumer consumer = c.consumer(o);
            List<Delivery> got = consumer.receive(6, WAIT);
            assertThat(got).extracting(d -> d.message().payloadAsString()).containsExactly("ack", "nack", "reject", "dlq", "expire", "close");
            got.get(0).ack().join();
            got.get(1).nack(Duration.ZERO).join();
            got.get(2).reject().join();
            got.get(3).nack(Duration.ZERO).join();
            // the second delivery of "dlq" (and "nack") comes back; a nack of "dlq" then reaches maxDeliveries
            await().atMost(WAIT.multipliedBy(5)).until(() -> calls.contains("A.settle expire EXPIRED")
                    && calls.contains("A.settle close EXPIRED"));
            // the second deliveries: nack, dlq, expire, close
            java.util.Set<String> second = new java.util.HashSet<>();
            long until = System.nanoTime() + WAIT.multipliedBy(5).toNanos();
            while (second.size() < 4 && System.nanoTime() < until) {
                for (Delivery d : consumer.receive(10, Duration.ofMillis(200))) {
                    String text = d.message().payloadAsString();
                    second.add(text);
                    switch (text) {
                        case "dlq" -> d.nack(Duration.ZERO).join();
                        case "close" -> {
                            // kept unsettled until close
                        }
                        default -> d.ack().join();
                    }
                }
            }
            assertThat(second).containsExactlyInAnyOrder("nack", "dlq", "expire", "close");
            assertThat(calls).contains("A.settle ack ACKED", "A.settle nack NACKED", "A.receive nack #2", "A.settle reject REJECTED",
                    "A.receive dlq #2", "A.settle dlq DEAD_LETTERED", "A.settle expire EXPIRED");
            consumer.close();
            assertThat(calls).contains("A.settle close RELEASED");
            assertThat(c.interceptorFailures()).isZero();
        }
    }

    @Test
    void aFailedSendIsReportedWithItsException() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Recorder a = new Recorder("A", calls);
        try (MessagingClient c = connect(broker() + "?capacity=1&when-full=fail", a);
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.of("fits")).join();
            assertThatThrownBy(() -> p.send(Message.of("over")).join()).hasStackTraceContaining("BackpressureException");
            assertThat(calls).containsExactly("A.before t", "A.after ok", "A.before t", "A.after BackpressureException");
            assertThat(a.failures.get(0)).isInstanceOf(BackpressureException.class);
        }
    }

    /** Throws from every method after doing part of its work. */
    static final class Throwing implements MessagingInterceptor {
        @Override
        public void beforeSend(SendContext send) {
            send.header("x-before-throw", "1");
            throw new IllegalStateException("boom in beforeSend");
        }

        @Override
        public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
            throw new IllegalStateException("boom in afterSend");
        }

        @Override
        public void onReceive(DeliveryContext delivery) {
            throw new IllegalStateException("boom in onReceive");
        }

        @Override
        public void onSettle(DeliveryContext delivery, Outcome outcome, Throwable failure) {
            throw new IllegalStateException("boom in onSettle");
        }
    }

    @Test
    void anInterceptorThatThrowsBreaksNeitherSendingNorSettlingNorTheOthers() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Recorder after = new Recorder("B", calls);
        try (MessagingClient c = connect(broker(), new Throwing(), after);
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            for (int i = 0; i < 3; i++) {
                p.send(Message.of("m" + i)).join();
            }
            List<Delivery> got = consumer.receive(3, WAIT);
            assertThat(got).hasSize(3);
            assertThat(got.get(0).message().headers()).containsEntry("x-before-throw", "1").containsEntry("x-B", "seen-by-B");
            got.forEach(d -> d.ack().join());
            assertThat(calls).filteredOn(s -> s.startsWith("B.settle")).hasSize(3);
            // 3 sends x (before + after) + 3 deliveries x (receive + settle)
            assertThat(c.interceptorFailures()).isEqualTo(12);
        }
    }

    @Test
    void aReservedHeaderFromAnInterceptorIsRefusedAndCounted() {
        MessagingInterceptor reserved = new MessagingInterceptor() {
            @Override
            public void beforeSend(SendContext send) {
                send.header("anymq-id", "forged");
            }
        };
        try (MessagingClient c = connect(broker(), reserved);
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build());
             Producer p = c.producer("t")) {
            Receipt r = p.send(Message.of("x")).join();
            assertThat(consumer.receive(WAIT).orElseThrow().message().id()).isEqualTo(r.messageId()).isNotEqualTo("forged");
            assertThat(c.interceptorFailures()).isEqualTo(1);
        }
    }

    @Test
    void withoutInterceptorsNothingIsCounted() {
        MessagingConfig config = MessagingConfig.builder().url(broker()).build();
        assertThat(config.interceptors()).isEmpty();
        assertThat(config.with("capacity", "5").interceptors()).isEmpty();
        try (MessagingClient c = Messaging.connect(config); Producer p = c.producer("t")) {
            p.send(Message.of("x")).join();
            assertThat(c.interceptorFailures()).isZero();
        }
        MessagingInterceptor none = new MessagingInterceptor() {
        };
        MessagingConfig with = MessagingConfig.builder().url(broker()).interceptor(none).build();
        assertThat(with.with("capacity", "5").interceptors()).containsExactly(none);
        assertThat(with.toString()).doesNotContain("Interceptor");
    }
}
