package io.anymq;

import io.anymq.fake.FakeBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The interceptor hooks the core feeds besides sends and deliveries: the window wait of a send, and consumers opening and closing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterceptorHooksTest {
    private final String name = UUID.randomUUID().toString();
    private final FakeBroker broker = FakeBroker.named(name);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Long> waits = new CopyOnWriteArrayList<>();
    private final MessagingInterceptor recorder = new MessagingInterceptor() {
        @Override
        public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
            waits.add(send.windowWaitNanos());
        }

        @Override
        public void onConsumerOpen(ConsumerContext consumer) {
            calls.add("open " + consumer.provider() + " " + consumer.topic() + " " + consumer.group() + " lag " + consumer.lag());
            consumer.attach("mine");
        }

        @Override
        public void onConsumerClose(ConsumerContext consumer) {
            calls.add("close " + consumer.topic() + " " + consumer.group() + " " + consumer.attachment() + " lag " + consumer.lag());
        }
    };
    private final MessagingClient client = Messaging.connect(MessagingConfig.builder().url("fake:" + name).interceptor(recorder).build());

    @AfterEach
    void close() {
        broker.completeSends();
        client.close();
    }

    @Test
    void aSendThatWaitedForTheWindowSaysHowLong() throws Exception {
        broker.confirmSends.set(false);
        ProducerOptions one = ProducerOptions.builder("t").maxInFlight(1).blockTimeout(Duration.ofSeconds(5)).build();
        try (Producer p = client.producer(one)) {
            CompletableFuture<Receipt> first = p.send("a");
            Thread confirm = new Thread(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException ignored) {
                    return;
                }
                broker.confirmSends.set(true); // the second send, which waited for this, is confirmed at once
                broker.completeSends();
            });
            confirm.start();
            CompletableFuture<Receipt> second = p.send("b"); // blocks until the first is confirmed
            confirm.join();
            assertThat(first).isCompleted();
            assertThat(second).isCompleted();
        }
        // the interceptors see the sends as they are answered: the first one's answer releases the window before its
        // afterSend runs, so the second (confirmed at once) may be reported first
        assertThat(waits).hasSize(2);
        List<Long> sorted = waits.stream().sorted().toList();
        assertThat(sorted.get(0)).isZero();
        assertThat(Duration.ofNanos(sorted.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aSendThatGaveUpWaitingSaysHowLongItWaited() {
        broker.confirmSends.set(false);
        ProducerOptions one = ProducerOptions.builder("u").maxInFlight(1).blockTimeout(Duration.ofMillis(100)).build();
        try (Producer p = client.producer(one)) {
            p.send("a");
            assertThatThrownBy(() -> p.send("b")).isInstanceOf(BackpressureException.class);
            assertThat(waits).hasSize(1);
            assertThat(Duration.ofNanos(waits.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(90));
            broker.completeSends();
        }
    }

    @Test
    void consumersOpeningAndClosingAreSeenWithTheirLag() {
        Consumer c = client.consumer("t", "g");
        assertThat(calls).containsExactly("open fake t g lag OptionalLong.empty");
        c.close();
        c.close();
        assertThat(calls).containsExactly("open fake t g lag OptionalLong.empty", "close t g mine lag OptionalLong.empty");
        client.consumer("t", "h");
        client.close();
        assertThat(calls).hasSize(4).last().isEqualTo("close t h mine lag OptionalLong.empty");
    }
}
