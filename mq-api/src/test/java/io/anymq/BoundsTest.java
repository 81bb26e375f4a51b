package io.anymq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inputs at the edges of what can be counted: typed errors or a documented cap, never an overflow. */
class BoundsTest {

    @Test
    void aNullUrlIsAnErrorNotTheEnvironment() {
        assertThatThrownBy(() -> Messaging.connect((String) null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("URL is null").hasMessageContaining("MQ_URL");
    }

    @Test
    void timesOutsideWhatBrokersHoldAreRefusedAtSend() {
        try (MessagingClient client = Messaging.connect("fake:" + UUID.randomUUID()); Producer producer = client.producer("t")) {
            assertThatThrownBy(() -> producer.send(Message.builder().payload("x").deliverAt(Instant.MAX).build()))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageContaining("deliverAt must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
            assertThatThrownBy(() -> producer.send(Message.builder().payload("x").timestamp(Instant.MIN).build()))
                    .isInstanceOf(InvalidMessageException.class).hasMessageContaining("timestamp must lie between");
            producer.send(Message.builder().payload("x").deliverAt(Message.LATEST_TIME).timestamp(Message.EARLIEST_TIME).build()).join();
        }
    }

    @Test
    void aNullTimeoutIsAnArgumentErrorThatNamesItAndChangesNothing() {
        String name = UUID.randomUUID().toString();
        try (MessagingClient client = Messaging.connect("fake:" + name);
             Consumer consumer = client.consumer("t", "g");
             Producer producer = client.producer("t")) {
            assertThatThrownBy(() -> consumer.receive(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the receive timeout is null");
            assertThatThrownBy(() -> consumer.receive(10, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the receive timeout is null");
            assertThatThrownBy(() -> producer.close(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the close timeout is null");
            producer.send(Message.of("still open")).join();
            io.anymq.fake.FakeBroker.named(name).deliver("t", Message.of("still receiving"), 1);
            assertThat(consumer.receive(Duration.ofSeconds(5))).isPresent();
        }
    }

    @Test
    void aNackDelayBeyondTheCapIsRefusedAndTheDeliveryStaysUnsettled() {
        String name = UUID.randomUUID().toString();
        try (MessagingClient client = Messaging.connect("fake:" + name);
             Consumer consumer = client.consumer("t", "g")) {
            io.anymq.fake.FakeBroker.named(name).deliver("t", Message.of("m"), 1);
            Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThatThrownBy(() -> d.nack(Duration.ofDays(365L * 1000))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 24 days");
            assertThat(d.isSettled()).isFalse();
            d.nack(Delivery.MAX_NACK_DELAY).join();
        }
        assertThatThrownBy(() -> SubscribeOptions.builder().retryDelay(Duration.ofDays(25)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("retryDelay may be at most 24 days");
    }

    @Test
    void aSubscriptionRunsAtMost1024HandlerThreads() {
        assertThat(SubscribeOptions.concurrency(SubscribeOptions.MAX_CONCURRENCY).concurrency()).isEqualTo(1024);
        assertThatThrownBy(() -> SubscribeOptions.concurrency(100_000)).isInstanceOf(ConfigurationException.class)
                .hasMessage("concurrency must be 1 to 1024: 100000");
        assertThatThrownBy(() -> SubscribeOptions.concurrency(0)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void anAckTimeoutBeyondTheCapIsRefused() {
        assertThatThrownBy(() -> ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofDays(365 * 300)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("at most 24 days");
        assertThat(ConsumerOptions.builder("t", "g").ackTimeout(ConsumerOptions.MAX_ACK_TIMEOUT).build().ackTimeout())
                .isEqualTo(Duration.ofDays(24));
    }

    @Test
    void aReceiveWithAnEndlessTimeoutWaitsInsteadOfOverflowing() throws Exception {
        try (MessagingClient client = Messaging.connect("fake:" + UUID.randomUUID());
             Consumer consumer = client.consumer("t", "g")) {
            Thread t = new Thread(() -> consumer.receive(Duration.ofSeconds(Long.MAX_VALUE)));
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            t.setUncaughtExceptionHandler((th, e) -> failed.set(e));
            t.start();
            Thread.sleep(300);
            assertThat(failed.get()).as("no ArithmeticException").isNull();
            assertThat(t.isAlive()).as("still waiting").isTrue();
            consumer.close();
            t.join(5000);
            assertThat(t.isAlive()).as("the close ended the wait").isFalse();
            assertThat(failed.get()).isNull();
        }
    }
}
