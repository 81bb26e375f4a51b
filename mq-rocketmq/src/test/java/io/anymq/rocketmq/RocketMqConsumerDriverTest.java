package io.anymq.rocketmq;

import io.anymq.spi.DriverDelivery;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's receive bookkeeping against a SimpleConsumer whose receives the test completes: when
 * and on which thread a receive comes back is the point here, which a real proxy does not let a test
 * choose. The end-to-end behaviour is in the integration tests (RocketMqFifoTckIT, RocketMqTckIT).
 */
class RocketMqConsumerDriverTest {
    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private static MessageView message(int i) {
        return RocketMqMessagesTest.asDelivered(PROVIDER.newMessageBuilder().setTopic("t")
                .setBody(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).build(), "ID" + i);
    }

    /**
     * A receive that is already complete when it is handed back (the proxy answered before the driver
     * registered its callback, for example while the polling thread was descheduled). The driver used to
     * keep such a receive as the pending one for ever: every later poll waited on it, found nothing, and
     * the consumer never asked the broker again (RocketMqFifoTckIT.perKeyOrderHolds: 581 of 1,000
     * received, then no receive reached the broker for 40 s).
     */
    @Test
    void aReceiveThatCompletedBeforeItsCallbackWasRegisteredIsFollowedByTheNextReceive() throws Exception {
        Receives broker = new Receives();
        for (int i = 0; i < 5; i++) {
            broker.answers.add(CompletableFuture.completedFuture(List.of(message(i))));
        }
        RocketMqConsumerDriver driver = new RocketMqConsumerDriver(broker, Duration.ofSeconds(10), 1);
        List<String> got = new ArrayList<>();
        for (int polls = 0; polls < 20 && got.size() < 5; polls++) {
            for (DriverDelivery d : driver.poll(1, Duration.ofMillis(50))) {
                got.add(new String(d.message().payload(), StandardCharsets.UTF_8));
            }
        }
        assertThat(got).containsExactly("0", "1", "2", "3", "4");
        assertThat(broker.receives.get()).isEqualTo(5);
        driver.close();
    }

    /** The ordinary case: the receive completes later, on the client's thread, while a poll waits on it. */
    @Test
    void aReceiveCompletedByAnotherThreadWakesTheWaitingPoll() throws Exception {
        Receives broker = new Receives();
        CompletableFuture<List<MessageView>> later = new CompletableFuture<>();
        broker.answers.add(later);
        RocketMqConsumerDriver driver = new RocketMqConsumerDriver(broker, Duration.ofSeconds(10), 1);
        assertThat(driver.poll(1, Duration.ofMillis(20))).isEmpty();
        Thread t = new Thread(() -> {
            sleep(50);
            later.complete(List.of(message(7)));
        });
        t.start();
        List<DriverDelivery> got = List.of();
        for (int polls = 0; polls < 50 && got.isEmpty(); polls++) {
            got = driver.poll(1, Duration.ofMillis(100));
        }
        t.join();
        assertThat(got).hasSize(1);
        assertThat(new String(got.get(0).message().payload(), StandardCharsets.UTF_8)).isEqualTo("7");
        assertThat(broker.receives.get()).isEqualTo(1);
        driver.close();
    }

    /** What a receive brings after the consumer closed goes back to the group at once. */
    @Test
    void whatArrivesAfterCloseIsGivenBack() {
        Receives broker = new Receives();
        CompletableFuture<List<MessageView>> later = new CompletableFuture<>();
        broker.answers.add(later);
        RocketMqConsumerDriver driver = new RocketMqConsumerDriver(broker, Duration.ofSeconds(10), 1);
        try {
            assertThat(driver.poll(1, Duration.ofMillis(20))).isEmpty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        driver.close();
        later.complete(List.of(message(3)));
        assertThat(broker.released).hasSize(1);
        assertThat(broker.released.get(0)).isEqualTo(Duration.ofMillis(1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands out the prepared answers one per receive, in order; an empty list once they are used up. */
    private static final class Receives implements SimpleConsumer {
        final ConcurrentLinkedQueue<CompletableFuture<List<MessageView>>> answers = new ConcurrentLinkedQueue<>();
        final AtomicInteger receives = new AtomicInteger();
        final List<Duration> released = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<List<MessageView>> receiveAsync(int maxMessageNum, Duration invisibleDuration) {
            receives.incrementAndGet();
            CompletableFuture<List<MessageView>> next = answers.poll();
            return next != null ? next : new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> changeInvisibleDurationAsync(MessageView messageView, Duration invisibleDuration) {
            released.add(invisibleDuration);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> ackAsync(MessageView messageView) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String getConsumerGroup() {
            return "g";
        }

        @Override
        public SimpleConsumer subscribe(String topic, FilterExpression filterExpression) {
            return this;
        }

        @Override
        public SimpleConsumer unsubscribe(String topic) {
            return this;
        }

        @Override
        public Map<String, FilterExpression> getSubscriptionExpressions() {
            return Map.of();
        }

        @Override
        public List<MessageView> receive(int maxMessageNum, Duration invisibleDuration) {
            throw new UnsupportedOperationException("the driver receives asynchronously");
        }

        @Override
        public void ack(MessageView messageView) {
            throw new UnsupportedOperationException("the driver acks asynchronously");
        }

        @Override
        public void changeInvisibleDuration(MessageView messageView, Duration invisibleDuration) {
            throw new UnsupportedOperationException("the driver settles asynchronously");
        }

        @Override
        public void close() {
        }
    }
}
