package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.SubscribeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Volume: thousands of messages, many producers and members, concurrent handlers, many nacks, members
 * joining and leaving under load. Run in stress mode only ({@link TckSettings#stress()}, {@code mq verify --stress});
 * each counts what was confirmed, lost and duplicated ({@link TckReport.Tally}).
 */
public interface StressScenarios extends TckContext {

    private Duration drainWait() {
        return settings().receiveTimeout().multipliedBy(6);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.COMPETING_CONSUMERS}, stress = true)
    default void stressFiftyProducersToFiftyMembersLoseNothing() throws InterruptedException {
        String scenario = "stressFiftyProducersToFiftyMembersLoseNothing";
        String topic = name("stress50");
        String group = name("g");
        StreamCheck check = new StreamCheck(this, scenario);
        for (int m = 0; m < 50; m++) {
            check.join(consumer(topic, group));
        }
        TckReport.Tally tally = check.run(topic, 50, settings().scaled(5_000), i -> {
        }, drainWait());
        assertThat(tally.lost()).as("lost (%s), first: %s", tally, check.lostIds()).isZero();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.COMPETING_CONSUMERS}, stress = true)
    default void stressMembersJoiningAndLeavingUnderLoadLoseNothing() throws InterruptedException {
        String scenario = "stressMembersJoiningAndLeavingUnderLoadLoseNothing";
        String topic = name("stresschurn");
        String group = name("g");
        StreamCheck check = new StreamCheck(this, scenario);
        Deque<Consumer> members = new ArrayDeque<>();
        for (int m = 0; m < 3; m++) {
            members.add(check.join(consumer(topic, group)));
        }
        int total = settings().scaled(5_000);
        int step = Math.max(1, total / 20);
        AtomicInteger changes = new AtomicInteger();
        TckReport.Tally tally = check.run(topic, 4, total, i -> {
            if (i > 0 && i % step == 0) {
                members.add(check.join(consumer(topic, group)));      // one joins
                check.leave(members.pollFirst());                       // the oldest leaves
                changes.incrementAndGet();
            }
        }, drainWait());
        observe(scenario, changes.get() + " members joined and as many left during the stream");
        assertThat(tally.lost()).as("lost (%s), first: %s", tally, check.lostIds()).isZero();
    }

    /**
     * #28 with order: 2,000 messages over 16 keys from one producer while a member joins and the oldest leaves every
     * 200 messages (nine times; each change waits, up to 2 s, until the members have half of what was sent: the churn happens while they
     * consume). Nothing lost, and per key the group handles in send order across the churn ({@link KeyOrder}, as
     * {@code perKeyOrderHoldsAcrossCompetingMembers} checks).
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.COMPETING_CONSUMERS, Capability.KEY_ORDERING}, stress = true)
    default void stressMembersJoiningAndLeavingUnderLoadKeepPerKeyOrder() throws InterruptedException {
        String scenario = "stressMembersJoiningAndLeavingUnderLoadKeepPerKeyOrder";
        String topic = name("stressorder");
        String group = name("g");
        // ids are <scenario>-<i>, the key k(i % 16): message i is number i / 16 of its key
        KeyOrder order = new KeyOrder(d -> {
            String id = d.message().id();
            return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) / 16;
        });
        StreamCheck check = new StreamCheck(this, scenario).inKeyOrder(order);
        Deque<Consumer> members = new ArrayDeque<>();
        for (int m = 0; m < 3; m++) {
            members.add(check.join(consumer(options(topic, group).keyOrdered(true).build())));
        }
        int total = settings().scaled(2_000);
        int step = Math.max(1, total / 10);
        AtomicInteger changes = new AtomicInteger();
        TckReport.Tally tally = check.run(topic, 1, total, i -> {
            if (i > 0 && i % step == 0) {
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (check.receivedCount() < i / 2 && System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                }
                members.add(check.join(consumer(options(topic, group).keyOrdered(true).build())));
                check.leave(members.pollFirst());
                changes.incrementAndGet();
            }
        }, drainWait());
        order.awaitAcks(settings().receiveTimeout());
        observe(scenario, changes.get() + " members joined and as many left during the stream; " + order.duplicates()
                + " settled again (redelivered after an ack), " + order.refused() + " acks refused (taken away, redelivered)");
        assertThat(tally.lost()).as("lost (%s), first: %s", tally, check.lostIds()).isZero();
        assertThat(order.violations(10)).as("per-key order across the churn").isEmpty();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.NACK_REDELIVERY, Capability.COMPETING_CONSUMERS}, stress = true)
    default void stressThreeMembersNackThreeHundredTimesAndAFreshMemberGetsAll() {
        String scenario = "stressThreeMembersNackThreeHundredTimesAndAFreshMemberGetsAll";
        String topic = name("stressnack");
        String group = name("g");
        int n = 20;
        List<Consumer> nackers = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            nackers.add(consumer(topic, group));
        }
        Producer producer = producer(topic);
        Set<String> sent = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < n; i++) {
            String id = scenario + "-" + i;
            producer.send(Message.builder().payload("n" + i).id(id).build()).join();
            sent.add(id);
        }
        // 300 nacks in all, by whichever member gets the messages (on a partitioned broker one member may hold them all)
        AtomicLong nacks = new AtomicLong();
        List<AtomicInteger> perMember = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + settings().receiveTimeout().multipliedBy(3).toNanos();
        for (Consumer c : nackers) {
            AtomicInteger mine = new AtomicInteger();
            perMember.add(mine);
            Thread t = new Thread(() -> {
                try {
                    while (nacks.get() < 300 && System.nanoTime() < end) {
                        for (Delivery d : c.receive(10, Duration.ofMillis(200))) {
                            d.nack(Duration.ZERO);
                            if (nacks.incrementAndGet() <= 300) {
                                mine.incrementAndGet();
                            }
                        }
                    }
                } catch (io.anymq.ClosedException closed) {
                    // the scenario ended
                }
            }, "tck-nacker");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        observe(scenario, "nacks per member: " + perMember);
        assertThat(nacks.get()).as("nacks by the three members within " + settings().receiveTimeout().multipliedBy(3)
                + " (each nack must bring the message back)").isGreaterThanOrEqualTo(300);
        nackers.forEach(Consumer::close);
        Consumer fresh = consumer(topic, group);
        Set<String> got = ConcurrentHashMap.newKeySet();
        AtomicLong deliveries = new AtomicLong();
        long drainEnd = System.nanoTime() + drainWait().toNanos();
        while (!got.containsAll(sent) && System.nanoTime() < drainEnd) {
            for (Delivery d : fresh.receive(20, Duration.ofMillis(200))) {
                deliveries.incrementAndGet();
                got.add(d.message().id());
                d.ack();
            }
        }
        long lost = sent.stream().filter(id -> !got.contains(id)).count();
        tally(new TckReport.Tally(scenario, n, n, got.size(), lost, deliveries.get() - got.size()));
        assertThat(got).as("what the fresh member got after 300 nacks").containsAll(sent);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.NACK_REDELIVERY}, stress = true)
    default void stressConcurrentHandlersThatFailOftenStillHandleEverything() {
        String scenario = "stressConcurrentHandlersThatFailOftenStillHandleEverything";
        String topic = name("stresspush");
        Consumer consumer = consumer(topic, name("g"));
        int total = settings().scaled(10_000);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        AtomicLong calls = new AtomicLong();
        closeAfterTest(consumer.subscribe(d -> {
            calls.incrementAndGet();
            String id = d.message().id();
            // every 10th message fails the first time it is handled: the core nacks it, it must come again
            if (Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 10 == 0 && failedOnce.add(id)) {
                throw new IllegalStateException("the handler fails once for " + id);
            }
            handled.add(id);
        }, SubscribeOptions.builder().concurrency(16).serialPerKey(false).retryDelay(Duration.ZERO).build()));
        Producer producer = producer(topic);
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < total; i++) {
            String id = scenario + "-" + i;
            producer.send(Message.builder().payload("p" + i).id(id).build()).thenRun(() -> confirmed.add(id));
        }
        producer.flush();
        try {
            await().atMost(drainWait()).until(() -> handled.containsAll(confirmed));
        } finally {
            long lost = confirmed.stream().filter(id -> !handled.contains(id)).count();
            tally(new TckReport.Tally(scenario, total, confirmed.size(), handled.size(), lost,
                    calls.get() - failedOnce.size() - handled.size()));
        }
        assertThat(confirmed).hasSize(total);
    }
}
