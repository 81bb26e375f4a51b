package io.anymq.benchmarks;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A send through the portable core (checks, stamping, in-flight window) to a driver that does nothing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreSendBenchmark {
    private MessagingClient client;
    private Producer producer;
    private final byte[] payload = new byte[100];

    @Setup
    public void setUp() {
        client = Messaging.connect("noop:");
        producer = client.producer("bench");
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    /** Building the message is part of what a user pays, so it is measured too. */
    @Benchmark
    public CompletableFuture<Receipt> sendNewMessage() {
        return producer.send(Message.builder().payload(payload).key("k").build());
    }

    /** Four threads sending on one producer: what they share (id generation, the in-flight window) shows here. */
    @Benchmark
    @Threads(4)
    public CompletableFuture<Receipt> sendNewMessageFourThreads() {
        return producer.send(Message.builder().payload(payload).key("k").build());
    }
}
