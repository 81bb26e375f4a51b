package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.ClosedException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.MessagingClient;
import io.anymq.MessagingInterruptedException;
import io.anymq.Producer;
import io.anymq.Receipt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * An application whose receiving thread is interrupted again and again (tasks cancelled, a pool
     * shut down and restarted) and goes on receiving loses nothing and waits for nothing: every message
     * sent meanwhile is received within the receive timeout, and the consumer keeps working. The
     * interrupts land anywhere: in a receive, in an ack, between the two.
     */
    @Test
    default void aConsumerWhoseThreadIsInterruptedAgainAndAgainLosesNothing() throws Exception {
        String topic = name("interrupts");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        int n = 200;
        Set<String> got = ConcurrentHashMap.newKeySet();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            while (!stop.get() && got.size() < n) {
                try {
                    for (Delivery d : consumer.receive(10, Duration.ofMillis(200))) {
                        got.add(TckContext.text(d));
                        d.ack();
                    }
                } catch (MessagingInterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.interrupted();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }, "tck-interrupted-receiver");
        receiver.start();
        Thread interrupter = TckContext.interrupter(receiver, 7, stop);
        interrupter.start();
        try {
            for (int i = 0; i < n; i++) {
                producer.send("i" + i).join();
                if (i % 10 == 0) {
                    Thread.sleep(10);
                }
            }
            long deadline = System.nanoTime() + settings().receiveTimeout().toNanos();
            while (got.size() < n && receiver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            stop.set(true);
            interrupter.join(5000);
            receiver.join(5000);
        }
        assertThat(failure.get()).as("what the receiving thread met besides interrupts").isNull();
        assertThat(interrupted.get()).as("receives that were interrupted").isPositive();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!got.contains("i" + i)) {
                missing.add("i" + i);
            }
        }
        assertThat(missing).as("messages not received within %s while the receiving thread was interrupted %d times",
                settings().receiveTimeout(), interrupted.get()).isEmpty();
        producer.send("after").join();
        long deadline = System.nanoTime() + settings().receiveTimeout().toNanos();
        boolean afterCame = false;
        while (!afterCame && System.nanoTime() < deadline) {
            Optional<Delivery> d = consumer.receive(Duration.ofMillis(500));
            if (d.isPresent()) {
                afterCame = TckContext.text(d.get()).equals("after");
                d.get().ack();
            }
        }
        assertThat(afterCame).as("a message sent after the interrupts is received").isTrue();
        observe("aConsumerWhoseThreadIsInterruptedAgainAndAgainLosesNothing", interrupted.get() + " receives interrupted");
    }

    /**
     * A producer closed from a thread whose interrupt flag is set (a finally block after an
     * {@code InterruptedException}, a task of a pool shut down with {@code shutdownNow}) does what a close
     * does: it waits for the sends in flight (up to its close timeout) and releases the producer, then leaves
     * the flag set. Every send is confirmed and arrives.
     */
    @Test
    default void aProducerClosedFromAThreadWithItsInterruptFlagSetConfirmsItsSends() {
        String topic = name("close-flagged");
        Consumer watcher = consumer(topic, name("w"));
        Producer producer = client().producer(topic);
        int n = 100;
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receipts.add(producer.send("c" + i));
        }
        assertThat(TckContext.flagKeptBy(producer::close)).as("the interrupt flag is kept by close").isTrue();
        assertThat(receipts).as("sends completed normally when close returned").allMatch(r -> r.isDone() && !r.isCompletedExceptionally());
        assertThat(payloads(receive(watcher, n, true))).as("what the closed producer sent").containsAll(texts("c", n));
    }

    /**
     * A consumer closed from a thread whose interrupt flag is set gives back what it held, as every close
     * does, and keeps what it acked: another member receives exactly the deliveries it held, and the flag
     * is still set after close. The first half received is acked (in each partition a prefix, so that a
     * backend that commits per partition need not read any of it again).
     */
    @Test
    @Requires({Capability.AT_LEAST_ONCE, Capability.COMPETING_CONSUMERS})
    default void aConsumerClosedFromAThreadWithItsInterruptFlagSetGivesBackWhatItHeldAndKeepsItsAcks() {
        String topic = name("close-flagged-c");
        ConsumerOptions options = options(topic, name("g")).build();
        Consumer leaving = client().consumer(options);
        Producer producer = producer(topic);
        int n = 20;
        for (int i = 0; i < n; i++) {
            producer.send("h" + i).join();
        }
        List<Delivery> got = receive(leaving, n, false);
        assertThat(got).hasSize(n);
        for (Delivery d : got.subList(0, n / 2)) {
            d.ack().join();
        }
        Set<String> held = new TreeSet<>(payloads(got.subList(n / 2, n)));
        assertThat(TckContext.flagKeptBy(leaving::close)).as("the interrupt flag is kept by close").isTrue();
        Consumer staying = newClient().consumer(options);
        Set<String> again = new TreeSet<>(payloads(receive(staying, n / 2, true)));
        again.addAll(payloads(receiveDuringAbsenceWait(staying)));
        assertThat(again).as("what another member receives: the deliveries the closed consumer held, none it acked").isEqualTo(held);
    }

    /**
     * A client closed from a thread whose interrupt flag is set closes everything it made, as every close
     * does (its producers wait for their sends in flight), says so in its health, throws nothing and leaves
     * the flag set.
     */
    @Test
    default void aClientClosedFromAThreadWithItsInterruptFlagSetClosesEverything() {
        String topic = name("close-flagged-client");
        Consumer watcher = consumer(topic, name("w"));
        MessagingClient other = newClient();
        Consumer consumer = other.consumer(options(topic, name("g")).build());
        Producer producer = other.producer(topic);
        int n = 50;
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receipts.add(producer.send("k" + i));
        }
        assertThat(TckContext.flagKeptBy(other::close)).as("the interrupt flag is kept by close").isTrue();
        assertThat(other.health().state()).isEqualTo(Health.State.CLOSED);
        assertThatThrownBy(() -> producer.send("late")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> consumer.receive(Duration.ofMillis(10))).isInstanceOf(ClosedException.class);
        assertThat(receipts).as("sends completed normally when the client's close returned").allMatch(r -> r.isDone() && !r.isCompletedExceptionally());
        assertThat(payloads(receive(watcher, n, true))).as("what the closed client's producer sent").containsAll(texts("k", n));
    }

    /**
     * A consumer and a producer made from a thread whose interrupt flag is set (a framework thread that left it set)
     * are made, as a send from such a thread is carried out, and work; the flag is still set after, and the client
     * goes on working for everybody (jnats dropped the subscription an interrupted thread asked for, and with it the
     * reply inbox of every later request of the connection).
     */
    @Test
    default void aConsumerAndAProducerMadeFromAThreadWithItsInterruptFlagSetWork() {
        String topic = name("made-flagged");
        AtomicReference<Consumer> consumer = new AtomicReference<>();
        AtomicReference<Producer> producer = new AtomicReference<>();
        assertThat(TckContext.flagKeptBy(() -> {
            consumer.set(consumer(topic, name("g")));
            producer.set(producer(topic));
        })).as("the interrupt flag is kept").isTrue();
        producer.get().send("made").join();
        assertThat(TckContext.text(receiveOne(consumer.get()))).isEqualTo("made");
        String other = name("made-after");
        Consumer after = consumer(other, name("g"));
        producer(other).send("after").join();
        assertThat(TckContext.text(receiveOne(after))).as("a consumer made afterwards on a clean thread").isEqualTo("after");
    }

    private static List<String> payloads(List<Delivery> deliveries) {
        List<String> out = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            out.add(TckContext.text(d));
        }
        return out;
    }

    private static List<String> texts(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
