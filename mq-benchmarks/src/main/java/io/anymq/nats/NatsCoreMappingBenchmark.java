package io.anymq.nats;

import io.anymq.BenchmarkStamps;
import io.anymq.Message;
import io.nats.client.impl.NatsMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The SDK's own work per message on core NATS (docs/performance.md, NATS core): stamping a message and
 * making its id reply subject on the send side; the message from what jnats received on the other.
 * Run with {@code -prof gc} for bytes per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NatsCoreMappingBenchmark {
    private final byte[] payload = new byte[100];
    private Message unsent;
    private NatsMessage received;
    private NatsMessage receivedBare;

    @Setup
    public void setUp() {
        unsent = Message.of(payload);
        Message sent = BenchmarkStamps.stamped(unsent, System.currentTimeMillis());
        received = new NatsMessage("bench", NatsMessages.idReplySubject(sent), null, payload);
        receivedBare = new NatsMessage("bench", null, null, payload);
    }

    /** What the core and the producer driver do for {@code send(Message.of(payload))}, short of jnats' publish. */
    @Benchmark
    public String sendSide() {
        return NatsMessages.idReplySubject(BenchmarkStamps.stamped(unsent, System.currentTimeMillis()));
    }

    /** The same with {@code send-generated-ids=false}: the check that the message goes as its payload alone. */
    @Benchmark
    public boolean sendSideWithoutGeneratedIds() {
        return NatsMessages.carriesOnlyGeneratedStamp(BenchmarkStamps.stamped(unsent, System.currentTimeMillis()));
    }

    /** The message a consumer driver makes of one that came as its payload alone: named and timed on arrival. */
    @Benchmark
    public Message receiveSideWithoutId() {
        return NatsMessages.fromNats(receivedBare);
    }

    /** The message a consumer driver makes of a received one carrying its id as the reply subject. */
    @Benchmark
    public Message receiveSide() {
        return NatsMessages.fromNats(received);
    }
}
