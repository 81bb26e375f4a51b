package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members that come and go while messages flow, batch receives, members closed at once: what
 * applications do at volume that single-message scenarios miss.
 */
public interface MembershipScenarios extends TckContext {

    private static void sendAll(Producer producer, List<String> payloads) {
        List<CompletableFuture<?>> sends = new ArrayList<>(payloads.size());
        payloads.forEach(p -> sends.add(producer.send(p)));
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    private static List<String> payloads(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** Receives and acks for a while, adding what arrived to {@code into}. */
    private void drain(Consumer c, Set<String> into, int batch, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (Delivery d : c.receive(batch, Duration.ofMillis(50))) {
                into.add(TckContext.text(d));
                d.ack();
            }
        }
    }

    /**
     * A member of a group is closed and a new one opened twenty times while messages are sent; what a
     * closing member held goes back to the group, so every message is received.
     */
    @Test
    @Requires(Capability.AT_LEAST_ONCE)
    default void membersReopenedTwentyTimesDuringAStreamLoseNothing() throws Exception {
        String topic = name("reopen");
        String group = name("g");
        ConsumerOptions options = options(topic, group).build();
        Producer producer = producer(topic);
        int n = settings().scaled(1000);
        Set<String> got = ConcurrentHashMap.newKeySet();
        Consumer member = client().consumer(options);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<?> sending = sender.submit(() -> {
                for (int chunk = 0; chunk < 20; chunk++) {
                    sendAll(producer, payloads("m" + chunk + "-", n / 20));
                }
                return null;
            });
            for (int reopen = 0; reopen < 20; reopen++) {
                drain(member, got, 16, 4);
                member.close();
                member = client().consumer(options);
            }
            sending.get(settings().receiveTimeout().toSeconds() * 3, TimeUnit.SECONDS);
            long quietSince = System.nanoTime();
            while (got.size() < n / 20 * 20 && System.nanoTime() - quietSince < settings().receiveTimeout().toNanos() * 2) {
                int before = got.size();
                drain(member, got, 64, 1);
                if (got.size() > before) {
                    quietSince = System.nanoTime();
                }
            }
        } finally {
            member.close();
            sender.shutdownNow();
        }
        assertThat(got).as("every message, although the group's member was replaced twenty times").hasSize(n / 20 * 20);
    }

    /** Of two members, one closes; everything sent afterwards reaches the other. */
    @Test
    @Requires(Capability.COMPETING_CONSUMERS)
    default void oneMemberStoppingLeavesTheOthersReceiving() {
        String topic = name("stop");
        String group = name("g");
        Consumer a = closeAfterTest(client().consumer(options(topic, group).build()));
        Consumer b = consumer(options(topic, group).build());
        Producer producer = producer(topic);
        sendAll(producer, payloads("before-", 20));
        Set<String> got = ConcurrentHashMap.newKeySet();
        long end = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (got.size() < 20 && System.nanoTime() < end) {
            drain(a, got, 16, 1);
            drain(b, got, 16, 1);
        }
        a.close();
        sendAll(producer, payloads("after-", 50));
        List<Delivery> after = receive(b, 50, true);
        Set<String> afterTexts = ConcurrentHashMap.newKeySet();
        after.forEach(d -> afterTexts.add(TckContext.text(d)));
        assertThat(afterTexts).as("what was sent after one member closed reaches the other")
                .containsAll(payloads("after-", 50));
    }

    /** Two groups each get every message of a stream while a second member joins each group mid-way. */
    @Test
    @Requires({Capability.FANOUT_GROUPS, Capability.COMPETING_CONSUMERS})
    default void twoGroupsEachGetEverythingWhileMembersJoin() {
        String topic = name("join");
        String g1 = name("g1");
        String g2 = name("g2");
        List<Consumer> one = new ArrayList<>(List.of(consumer(topic, g1)));
        List<Consumer> two = new ArrayList<>(List.of(consumer(topic, g2)));
        Producer producer = producer(topic);
        int n = settings().scaled(400);
        Set<String> got1 = ConcurrentHashMap.newKeySet();
        Set<String> got2 = ConcurrentHashMap.newKeySet();
        sendAll(producer, payloads("a", n / 2));
        for (int i = 0; i < 3; i++) {
            one.forEach(c -> drain(c, got1, 16, 1));
            two.forEach(c -> drain(c, got2, 16, 1));
        }
        one.add(consumer(topic, g1));
        two.add(consumer(topic, g2));
        sendAll(producer, payloads("b", n / 2));
        long quietSince = System.nanoTime();
        while ((got1.size() < n || got2.size() < n) && System.nanoTime() - quietSince < settings().receiveTimeout().toNanos()) {
            int before = got1.size() + got2.size();
            one.forEach(c -> drain(c, got1, 32, 1));
            two.forEach(c -> drain(c, got2, 32, 1));
            if (got1.size() + got2.size() > before) {
                quietSince = System.nanoTime();
            }
        }
        assertThat(got1).as("group 1").hasSize(n);
        assertThat(got2).as("group 2").hasSize(n);
    }

    /** A batch receive returns at most what it was asked for, and returns early when fewer are there. */
    @Test
    default void aBatchReceiveReturnsAtMostMaxAndEarlyWhenFewerAreThere() {
        String topic = name("batchrecv");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        sendAll(producer, payloads("m", 30));
        List<Delivery> all = new ArrayList<>();
        long end = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (all.size() < 30 && System.nanoTime() < end) {
            List<Delivery> batch = consumer.receive(7, Duration.ofMillis(500));
            assertThat(batch.size()).as("a receive of at most 7").isLessThanOrEqualTo(7);
            batch.forEach(Delivery::ack);
            all.addAll(batch);
        }
        assertThat(all).hasSize(30);
        producer.send("one").join();
        Duration wait = settings().receiveTimeout();
        long start = System.nanoTime();
        List<Delivery> one = consumer.receive(100, wait);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (one.isEmpty()) { // the message was not there yet when the receive began: it must come within the wait
            one = consumer.receive(100, wait);
        }
        assertThat(one).extracting(TckContext::text).containsExactly("one");
        assertThat(took).as("a receive of up to 100 returns when fewer are there, long before its wait of " + wait)
                .isLessThan(wait.dividedBy(2));
        one.forEach(Delivery::ack);
    }

    /** Ten members of one group closed at the same moment, while they receive: no error, no hang. */
    @Test
    default void tenMembersClosedConcurrentlyAreSafe() throws Exception {
        String topic = name("closeall");
        String group = name("g");
        List<Consumer> members = new ArrayList<>();
        boolean competing = declares(Capability.COMPETING_CONSUMERS);
        for (int i = 0; i < 10; i++) {
            members.add(client().consumer(options(topic, competing ? group : name("g" + i)).build()));
        }
        sendAll(producer(topic), payloads("m", 50));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Consumer c : members) {
                work.add(pool.submit(() -> {
                    try {
                        while (true) { // until a receive after the close is refused
                            c.receive(Duration.ofMillis(50)).ifPresent(d -> {
                                try {
                                    d.ack();
                                } catch (io.anymq.SettlementException closedMeanwhile) {
                                    // the member closed between receive and ack: what it held went back
                                }
                            });
                        }
                    } catch (io.anymq.ClosedException closedBeforeTheCall) {
                        return null;
                    }
                }));
                work.add(pool.submit(() -> {
                    go.await();
                    c.close();
                    return null;
                }));
            }
            Thread.sleep(200);
            go.countDown();
            for (Future<?> f : work) {
                f.get(settings().receiveTimeout().toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(members).allSatisfy(c -> org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.receive(Duration.ZERO))
                .isInstanceOf(io.anymq.ClosedException.class));
    }
}
