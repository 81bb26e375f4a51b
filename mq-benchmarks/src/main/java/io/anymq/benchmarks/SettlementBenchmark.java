package io.anymq.benchmarks;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The core's settlement bookkeeping: receive a batch (admission, in-flight accounting, outstanding
 * tracking) and ack each delivery (state machine), with and without the core-enforced ack timeout.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SettlementBenchmark {
    static final int BATCH = 256;

    @Param({"false", "true"})
    public boolean ackTimeout;

    private MessagingClient client;
    private Consumer consumer;

    @Setup
    public void setUp() {
        client = Messaging.connect("noop:");
        ConsumerOptions.Builder b = ConsumerOptions.builder("bench", "g").maxInFlight(BATCH);
        if (ackTimeout) {
            b.ackTimeout(Duration.ofMinutes(5));
        }
        consumer = client.consumer(b.build());
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receiveAndAck(Blackhole bh) {
        List<Delivery> batch = consumer.receive(BATCH, Duration.ZERO);
        for (Delivery d : batch) {
            bh.consume(d.ack());
        }
    }
}
