package io.anymq;

import io.anymq.fake.OnAFakeBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the core lets a driver read ahead for {@code receive}: what the application takes within the hand-off window
 * (a quarter of the ack timeout, one second at most) at the pace it measured between receives.
 */
class ReceiveReadAheadTest extends OnAFakeBroker {
    private Consumer consumer(Duration ackTimeout) {
        return client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(ackTimeout).build());
    }

    private void receiveAndAck(Consumer consumer, int n, long millisBetween) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            broker.deliver("t", Message.of("m" + i), 1);
            consumer.receive(Duration.ofSeconds(5)).orElseThrow().ack().join();
            Thread.sleep(millisBetween);
        }
    }

    private int lastLimit() {
        return broker.readAheadLimits.get(broker.readAheadLimits.size() - 1);
    }

    @Test
    void anApplicationThatTakesLongerPerDeliveryThanTheWindowLetsTheDriverReadAheadOnlyWhatItAsksFor() throws Exception {
        try (Consumer consumer = consumer(Duration.ofSeconds(2))) { // window 500 ms
            receiveAndAck(consumer, 4, 600);
            assertThat(lastLimit()).as("read-ahead bound after receives 600 ms apart, ack timeout 2 s").isEqualTo(1);
        }
    }

    @Test
    void aSlowApplicationLetsTheDriverReadAheadWhatItTakesWithinTheWindow() throws Exception {
        try (Consumer consumer = consumer(Duration.ofSeconds(2))) { // window 500 ms: at most 3 at 200 ms or more each
            receiveAndAck(consumer, 5, 200);
            assertThat(lastLimit()).as("read-ahead bound after receives 200 ms apart, ack timeout 2 s").isBetween(1, 3);
        }
    }

    @Test
    void aFastApplicationIsNotHeldBack() throws Exception {
        try (Consumer consumer = consumer(Duration.ofSeconds(30))) { // window 1 s
            receiveAndAck(consumer, 30, 0);
            assertThat(lastLimit()).as("read-ahead bound after back-to-back receives").isGreaterThan(100);
        }
    }

    @Test
    void theFirstReceiveReadsAheadNoMoreThanItAsksFor() {
        try (Consumer consumer = consumer(Duration.ofSeconds(30))) {
            broker.deliver("t", Message.of("m"), 1);
            consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThat(broker.readAheadLimits).as("bounds passed before the pace is known").containsExactly(1);
        }
    }
}
