package io.anymq.inmemory;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many producers and competing consumers on a small topic (so eviction, the full-topic wait and
 * the lock-free ack path all run), with random nacks: every message is acked exactly once per
 * group, none is lost, and two groups each see everything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemoryConcurrencyTest {

    @Test
    void producersAndCompetingConsumersWithNacksLoseNothingAndAckEachMessageOnce() throws Exception {
        stress("?capacity=512", i -> 4);
    }

    /**
     * The same with max-bytes binding (a topic of 16 KiB, a high capacity, so the ring still grows): one message in ten
     * is 3 KiB, the others 4 bytes, so producers of big messages wait for room while small ones are appended around them.
     */
    @Test
    void mixedSizesUnderMaxBytesLoseNothingAndAckEachMessageOnce() throws Exception {
        stress("?capacity=100000&max-bytes=16384", i -> i % 10 == 0 ? 3 * 1024 : 4);
    }

    private static void stress(String options, java.util.function.IntUnaryOperator payloadSize) throws Exception {
        int producers = 4, perProducer = 20_000, consumersPerGroup = 3;
        int total = producers * perProducer;
        String url = "mem:stress-" + UUID.randomUUID() + options;
        try (MessagingClient client = Messaging.connect(url)) {
            List<GroupRun> groups = List.of(new GroupRun(client, "g1", consumersPerGroup, total),
                    new GroupRun(client, "g2", consumersPerGroup, total));
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                threads.add(new Thread(() -> {
                    try (Producer producer = client.producer("t")) {
                        for (int i = 0; i < perProducer; i++) {
                            producer.send(Message.builder().payload(ByteBuffer.allocate(payloadSize.applyAsInt(i)).putInt(0, base + i))
                                    .key(i % 7 == 0 ? "k" + (i % 13) : null).build());
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            for (GroupRun g : groups) {
                assertThat(g.done.await(40, TimeUnit.SECONDS)).as("group %s acked everything", g.name).isTrue();
                g.stop();
                assertThat(g.acked).hasSize(total);
                assertThat(g.doubleAcks.get()).isZero();
                assertThat(g.nacks.get()).isPositive();
            }
        }
    }

    /** One group of competing consumers that nacks about one delivery in twenty. */
    private static final class GroupRun {
        final String name;
        final ConcurrentHashMap<Integer, Boolean> acked = new ConcurrentHashMap<>();
        final AtomicInteger doubleAcks = new AtomicInteger();
        final AtomicInteger nacks = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        final List<Consumer> consumers = new ArrayList<>();

        GroupRun(MessagingClient client, String name, int members, int total) {
            this.name = name;
            for (int i = 0; i < members; i++) {
                Consumer c = client.consumer(ConsumerOptions.builder("t", name).maxInFlight(64).build());
                consumers.add(c);
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        for (Delivery d : c.receive(32, Duration.ofMillis(50))) {
                            if (ThreadLocalRandom.current().nextInt(20) == 0) {
                                nacks.incrementAndGet();
                                d.nack();
                                continue;
                            }
                            int n = d.message().payloadBuffer().getInt(0);
                            if (acked.putIfAbsent(n, Boolean.TRUE) != null) {
                                doubleAcks.incrementAndGet();
                            }
                            d.ack();
                            if (acked.size() == total) {
                                done.countDown();
                            }
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            consumers.forEach(Consumer::close);
        }
    }
}
