package io.anymq.fake;

import io.anymq.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the fake driver did, and what it will deliver next. One per name, shared by every client. */
public final class FakeBroker {
    private static final Map<String, FakeBroker> BROKERS = new ConcurrentHashMap<>();

    /** Messages the producers' drivers were given, per topic. */
    public final Map<String, List<Message>> sent = new ConcurrentHashMap<>();
    /** Deliveries waiting to be polled, per topic. */
    final Map<String, BlockingQueue<FakeDelivery>> pending = new ConcurrentHashMap<>();
    /** When false, driver sends stay incomplete until {@link #completeSends()}. */
    public final AtomicBoolean confirmSends = new AtomicBoolean(true);
    /** Whether consumers made from now on say that the broker redelivers after the ack timeout by itself. */
    public final AtomicBoolean enforcesAckTimeout = new AtomicBoolean(false);
    final List<java.util.concurrent.CompletableFuture<io.anymq.Receipt>> unconfirmed = new CopyOnWriteArrayList<>();
    /** When true, closing the client driver fails every send still unconfirmed, as a closed connection does. */
    public final AtomicBoolean failSendsOnClose = new AtomicBoolean(false);
    /** The connection the fake client drivers report (they share it, as they share the broker). */
    public final io.anymq.spi.ConnectionState connection = new io.anymq.spi.ConnectionState("fake broker at nowhere:1");
    /** What the next commit does instead of committing: fails with this error (then cleared); null commits. */
    public final java.util.concurrent.atomic.AtomicReference<RuntimeException> failNextCommit = new java.util.concurrent.atomic.AtomicReference<>();
    /** What the next commit throws on the caller's thread instead of committing (then cleared); null commits. */
    public final java.util.concurrent.atomic.AtomicReference<RuntimeException> throwOnNextCommit = new java.util.concurrent.atomic.AtomicReference<>();
    /** Whether the next commit confirms one receipt too few (a driver fault the core must catch). */
    public final AtomicBoolean shortNextCommit = new AtomicBoolean(false);

    /** Consumers made from now on settle in batches of at most this many ({@code settlementBatch}); 0 one by one. */
    public final java.util.concurrent.atomic.AtomicInteger settlementBatch = new java.util.concurrent.atomic.AtomicInteger();
    /** When false, batched settlements stay incomplete until {@link #completeSettlements()}. */
    public final AtomicBoolean confirmSettlements = new AtomicBoolean(true);
    /** Batched settlement calls held back while {@link #confirmSettlements} was false, with their sizes. */
    final List<java.util.Map.Entry<Integer, java.util.concurrent.CompletableFuture<List<Throwable>>>> heldSettlements = new CopyOnWriteArrayList<>();
    /** Sizes of the batched settlement calls, in order. */
    public final List<Integer> settlementCalls = new CopyOnWriteArrayList<>();

    /** What every poll throws while set (a driver whose native client refuses calls while it reconnects); null polls. */
    public final java.util.concurrent.atomic.AtomicReference<RuntimeException> pollFailure = new java.util.concurrent.atomic.AtomicReference<>();
    /** What every producer flush throws while set; null flushes. */
    public final java.util.concurrent.atomic.AtomicReference<RuntimeException> flushFailure = new java.util.concurrent.atomic.AtomicReference<>();

    /** The read-ahead bounds the core passed to the consumers' drivers ({@code limitReadAhead}), in order. */
    public final List<Integer> readAheadLimits = new CopyOnWriteArrayList<>();

    /** Deliveries the consumers' drivers handed to the core (returned by their polls). */
    public final java.util.concurrent.atomic.AtomicInteger polled = new java.util.concurrent.atomic.AtomicInteger();

    /** Driver calls in order, such as {@code producer.close orders}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    public static FakeBroker named(String name) {
        return BROKERS.computeIfAbsent(name, n -> new FakeBroker());
    }

    /** Queues a delivery of the message for the next poll on the topic, and returns it for inspection. */
    public FakeDelivery deliver(String topic, Message message, int deliveryCount) {
        FakeDelivery d = new FakeDelivery(message, deliveryCount);
        queue(topic).add(d);
        return d;
    }

    /** Fails every unconfirmed send as a lost connection does. */
    void failSends() {
        for (var f : unconfirmed) {
            f.completeExceptionally(new io.anymq.ConnectionException("fake connection closed", null));
        }
        unconfirmed.clear();
    }

    public List<Message> sent(String topic) {
        return sent.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
    }

    /** Completes every send held back while {@link #confirmSends} was false. */
    public void completeSends() {
        for (var f : unconfirmed) {
            f.complete(null);
        }
        unconfirmed.clear();
    }

    /** Completes every batched settlement held back while {@link #confirmSettlements} was false; returns how many. */
    public int completeSettlements() {
        int n = 0;
        for (var held : heldSettlements) {
            heldSettlements.remove(held); // a completion may hold the next call at once: that one stays
            held.getValue().complete(java.util.Collections.nCopies(held.getKey(), null));
            n += held.getKey();
        }
        return n;
    }

    BlockingQueue<FakeDelivery> queue(String topic) {
        return pending.computeIfAbsent(topic, t -> new LinkedBlockingQueue<>());
    }
}
