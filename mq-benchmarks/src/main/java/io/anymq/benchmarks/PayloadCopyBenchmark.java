package io.anymq.benchmarks;

import io.anymq.Message;
import io.anymq.spi.Payloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What a driver allocates for a payload, per message, with {@code -prof gc}: on the send side the bytes it hands
 * its client library (a native program hands over its own array: 0 B), on the receive side the message it builds
 * around the array the client library decoded (a native program uses that array: 0 B beyond its own object).
 * {@code copied*} is what every driver did before {@link Payloads}; {@code shared}/{@code adopted} is what they do now.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PayloadCopyBenchmark {
    @Param({"100", "65536"})
    public int size;

    private Message message;
    private byte[] received;

    @Setup
    public void setUp() {
        message = Message.builder().payload(new byte[size]).id("id").build();
        received = new byte[size];
    }

    /** Send side, before: {@code Message.payload()} copies. */
    @Benchmark
    public byte[] copiedForSend() {
        return message.payload();
    }

    /** Send side, now: the message's own array. */
    @Benchmark
    public byte[] sharedForSend() {
        return Payloads.shared(message);
    }

    /** Receive side, before: the builder copies the client library's array. */
    @Benchmark
    public Message copiedOnReceive() {
        return Message.builder().payload(received).id("id").build();
    }

    /** Receive side, now: the client library's array is the payload. */
    @Benchmark
    public Message adoptedOnReceive() {
        return Payloads.adopt(Message.builder(), received).id("id").build();
    }
}
