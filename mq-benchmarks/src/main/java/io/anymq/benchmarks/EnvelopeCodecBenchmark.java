package io.anymq.benchmarks;

import io.anymq.Message;
import io.anymq.spi.EnvelopeCodec;
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

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The binary envelope (Redis List and Sorted Set, Memcached): encode and decode of a message with an
 * id, a timestamp, a key and three headers, at two payload sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeCodecBenchmark {
    @Param({"100", "10000"})
    public int payloadBytes;

    private Message message;
    private byte[] envelope;

    @Setup
    public void setUp() {
        message = Message.builder()
                .payload(new byte[payloadBytes])
                .key("customer-42")
                .id("01JD4Z6Q8W3N5V7X9B1C2D3E4F")
                .timestamp(Instant.now())
                .header("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .header("content-type", "application/json")
                .header("tenant", "acme")
                .build();
        envelope = EnvelopeCodec.encode(message);
    }

    @Benchmark
    public byte[] encode() {
        return EnvelopeCodec.encode(message);
    }

    @Benchmark
    public Message decode() {
        return EnvelopeCodec.decode(envelope);
    }
}
