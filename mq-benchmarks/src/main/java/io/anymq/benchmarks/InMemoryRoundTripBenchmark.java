package io.anymq.benchmarks;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code mem:}'s whole path for one message on one thread: send (the core's checks and stamp, the topic's append),
 * receive (the group's take, the core's admission) and ack, as {@code mq bench mem:} does it on two threads, without
 * the threads: what the SDK costs per message, with no hand-off and no regime of a consumer that keeps up or lags
 * (which moves {@code mq bench}'s rounds by 2x on a 2-core machine). Beside it, what {@code mq bench}'s baseline does
 * per message (a {@code Message} built and handed through an {@link ArrayBlockingQueue} of the same capacity), also on
 * one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InMemoryRoundTripBenchmark {
    static final int BATCH = 64;

    private MessagingClient client;
    private Producer producer;
    private Consumer consumer;
    private final byte[] payload = new byte[100];
    private final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(100_000);

    @Setup
    public void setUp() {
        client = Messaging.connect("mem:" + UUID.randomUUID());
        producer = client.producer("bench");
        consumer = client.consumer(ConsumerOptions.builder("bench", "g").maxInFlight(BATCH).build());
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sendReceiveAck(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(producer.send(Message.builder().payload(payload).build()));
        }
        List<Delivery> got = consumer.receive(BATCH, Duration.ZERO);
        if (got.size() != BATCH) {
            throw new IllegalStateException("received " + got.size() + " of " + BATCH);
        }
        for (Delivery d : got) {
            bh.consume(d.deliveryCount());
            bh.consume(d.ack());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void arrayBlockingQueueHandOff(Blackhole bh) throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            queue.put(Message.builder().payload(payload).build());
        }
        for (int i = 0; i < BATCH; i++) {
            bh.consume(queue.poll().payloadBuffer());
        }
    }
}
