package io.anymq.tck;

import io.anymq.ClosedException;
import io.anymq.Consumer;
import io.anymq.Health;
import io.anymq.MessagingClient;
import io.anymq.MessagingInterruptedException;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What close means, for producers, consumers and clients, and for a receive that waits. */
public interface LifecycleScenarios extends TckContext {

    @Test
    default void callsAfterCloseAreRefusedAndCloseIsIdempotent() {
        String topic = name("closed");
        Producer producer = client().producer(topic);
        producer.close();
        producer.close();
        assertThatThrownBy(() -> producer.send("late")).isInstanceOf(ClosedException.class);

        Consumer consumer = client().consumer(topic, name("g"));
        consumer.close();
        consumer.close();
        assertThatThrownBy(() -> consumer.receive(Duration.ofMillis(10))).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> consumer.subscribe(d -> { })).isInstanceOf(ClosedException.class);

        MessagingClient other = createAndClose();
        assertThatThrownBy(() -> other.producer(topic)).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> other.consumer(topic, "g")).isInstanceOf(ClosedException.class);
    }

    private MessagingClient createAndClose() {
        MessagingClient c = newClient();
        Producer p = c.producer(name("x"));
        c.close();
        c.close();
        assertThatThrownBy(() -> p.send("after client close")).isInstanceOf(ClosedException.class);
        return c;
    }

    /**
     * {@code health()} of a client whose broker answers is {@code CONNECTED} with a detail, costs no
     * round trip (ten thousand reads well within a second or two), and is {@code CLOSED} after close.
     */
    @Test
    default void healthIsConnectedWhileTheBrokerAnswersCheapAndClosedAfterClose() {
        MessagingClient c = newClient();
        try {
            String topic = name("health");
            try (Producer p = c.producer(topic)) {
                p.send("ping").join();
            }
            Health h = c.health();
            assertThat(h.state()).as(h.toString()).isEqualTo(Health.State.CONNECTED);
            assertThat(h.usable()).isTrue();
            assertThat(h.detail()).isNotBlank();
            assertThat(h.since()).isBeforeOrEqualTo(java.time.Instant.now());
            long t0 = System.nanoTime();
            int usable = 0;
            for (int i = 0; i < 10_000; i++) {
                usable += c.health().usable() ? 1 : 0;
            }
            assertThat(usable).isPositive();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("10,000 health reads").isLessThan(Duration.ofSeconds(2));
        } finally {
            c.close();
        }
        assertThat(c.health().state()).isEqualTo(Health.State.CLOSED);
        assertThat(c.health().usable()).isFalse();
    }

    @Test
    default void aBlockedReceiveReturnsPromptlyWhenTheConsumerCloses() throws Exception {
        Consumer consumer = client().consumer(name("block"), name("g"));
        CompletableFuture<Object> receiving = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive(Duration.ofSeconds(60));
            } catch (ClosedException e) {
                return e;
            }
        });
        Thread.sleep(300);
        assertThat(receiving).isNotDone();
        long closedAt = System.nanoTime();
        consumer.close();
        Object result = receiving.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(result).satisfiesAnyOf(
                r -> assertThat(r).isEqualTo(java.util.Optional.empty()),
                r -> assertThat(r).isInstanceOf(ClosedException.class));
    }

    @Test
    default void aBlockedReceiveThrowsWhenItsThreadIsInterrupted() throws Exception {
        Consumer consumer = consumer(name("interrupt"), name("g"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                consumer.receive(Duration.ofSeconds(60));
            } catch (Throwable e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join(5000);
        assertThat(t.isAlive()).as("receive still blocked 5 s after the interrupt").isFalse();
        assertThat(thrown.get()).isInstanceOf(MessagingInterruptedException.class);
        assertThat(flagKept.get()).as("the interrupt flag is kept").isTrue();
    }
}
