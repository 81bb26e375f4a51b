package io.anymq.benchmarks;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.MessagingInterceptor;
import io.anymq.Producer;
import io.anymq.Receipt;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What interceptors cost the core: a send, and a receive plus ack, to a driver that does nothing,
 * with no interceptor (the path every client without one takes: it must cost what it cost before the
 * SPI existed, compare with {@link CoreSendBenchmark} and {@link SettlementBenchmark}) and with one or
 * two interceptors whose methods do nothing (the core's own cost per interceptor: contexts, calls).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} (bytes per operation) is exact even on a busy machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterceptorBenchmark {
    static final int BATCH = 256;

    /** An interceptor that does nothing, so what is measured is the core's part. */
    static final class Nothing implements MessagingInterceptor {
    }

    @Param({"0", "1", "2"})
    public int interceptors;

    private MessagingClient client;
    private Producer producer;
    private Consumer consumer;
    private final byte[] payload = new byte[100];

    @Setup
    public void setUp() {
        List<MessagingInterceptor> list = new ArrayList<>();
        for (int i = 0; i < interceptors; i++) {
            list.add(new Nothing());
        }
        client = Messaging.connect(MessagingConfig.builder().url("noop:").interceptors(list).build());
        producer = client.producer("bench");
        consumer = client.consumer(ConsumerOptions.builder("bench", "g").maxInFlight(BATCH).build());
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public CompletableFuture<Receipt> send() {
        return producer.send(Message.builder().payload(payload).key("k").build());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receiveAndAck(Blackhole bh) {
        for (Delivery d : consumer.receive(BATCH, Duration.ZERO)) {
            bh.consume(d.ack());
        }
    }
}
