package io.anymq.benchmarks;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Push dispatch: the core's poller fetches from a driver that always has deliveries, hands them to
 * {@code concurrency} workers (inline for one), runs the handler and acks. Measured as the time per
 * handled delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PushDispatchBenchmark {
    static final int PER_INVOCATION = 10_000;

    @Param({"1", "4"})
    public int concurrency;

    private MessagingClient client;
    private Consumer consumer;
    private Subscription subscription;
    private final Semaphore handled = new Semaphore(0);

    @Setup(Level.Trial)
    public void setUp() {
        client = Messaging.connect("noop:");
        consumer = client.consumer(ConsumerOptions.builder("bench", "g").maxInFlight(1024).build());
        subscription = consumer.subscribe(d -> handled.release(), SubscribeOptions.builder().concurrency(concurrency).serialPerKey(false).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        subscription.close();
        client.close();
    }

    @Benchmark
    @OperationsPerInvocation(PER_INVOCATION)
    public void handle() throws InterruptedException {
        handled.acquire(PER_INVOCATION);
    }
}
