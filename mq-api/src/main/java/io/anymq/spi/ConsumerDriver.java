package io.anymq.spi;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Receives from one group of one topic. The core owns the receive loop: it calls {@link #poll} from
 * one thread at a time, for at most {@link #MAX_POLL_WAIT} each, again and again until the caller's
 * deadline, and sees close, wake-up and interrupt between two polls. It never asks for more than the
 * consumer's free in-flight room, and does the settlement bookkeeping, the ack timeout (unless
 * {@link #enforcesAckTimeout()}), dead-lettering and push dispatch.
 */
public interface ConsumerDriver {

    /** The longest the core asks one {@link #poll} to wait. */
    Duration MAX_POLL_WAIT = Duration.ofMillis(100);

    /**
     * Returns up to {@code max} deliveries, waiting at most {@code timeout} (never more than
     * {@link #MAX_POLL_WAIT}) for the first; an empty list when none came. One wait on the broker, no
     * loop of its own: the core loops.
     *
     * <p>An interrupt never costs a message: a poll throws {@link InterruptedException} only when it took
     * nothing; what it took before the interrupt came (a message out of the client's buffer, an entry read
     * into the member's pending list, a lease) it returns, setting the interrupt flag again for the core
     * to see. Where a native call, once sent, takes a message whether or not its caller stays for the
     * answer, the wait for that answer must outlast the interrupt ({@link Uninterruptibly}). The TCK
     * interrupts a receiving thread some thousand times and misses nothing.
     */
    List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException;

    /**
     * The most deliveries the core wants this driver to hold read ahead of its polls: what one of a push subscription's
     * handlers starts within a small part of the ack timeout (see the core's pacing; one, since with handlers serial per
     * key the keys may send everything read ahead to one handler), or what an application calling {@code receive} takes
     * within that time at its measured pace (never less than a receive asks for). A driver that fetches ahead of what
     * {@link #poll} asks (up to the consumer's in-flight bound) should fetch no more ahead than this: where the broker
     * times the ack timeout from its hand-out (a Redis pending entry's idle time, JetStream's AckWait), what waits in a
     * read-ahead buffer ages too, and a backlog that slow handlers work through would otherwise run out there and come
     * again. Unlimited until called, and again ({@code Integer.MAX_VALUE}) when a subscription closes; called between
     * polls, when the bound changes. A driver whose native client fetches a fixed amount (Kafka share groups'
     * {@code max.poll.records}) cannot fetch less, but may keep in hand what it holds longer (Kafka: lock renewal).
     *
     * @param most the bound, at least 1
     */
    default void limitReadAhead(int most) {
    }

    /**
     * The longest a push subscription lets a fetched delivery wait for a free handler: a quarter of the ack timeout,
     * one second at most (and one second for the backend's default, null). A driver that hands out deliveries whose
     * broker-side timeout it knows (a record lock) can keep this much in hand, once a subscription limits its read-ahead.
     *
     * @param ackTimeout the consumer's ack timeout, or null for the backend's default
     * @return the window
     */
    static Duration handOffWindow(Duration ackTimeout) {
        Duration most = Duration.ofSeconds(1);
        return ackTimeout == null || ackTimeout.dividedBy(4).compareTo(most) > 0 ? most : ackTimeout.dividedBy(4);
    }

    /**
     * Whether the broker itself redelivers a delivery that stays unsettled past the ack timeout
     * (JetStream's AckWait, Redis' pending entries). When false, the core enforces the consumer's ack
     * timeout by releasing expired deliveries ({@link DriverDelivery#release()}). Either way the core
     * counts the consumer's ack timeout from the moment it received a delivery and refuses a settlement
     * after it with {@code SettlementException(EXPIRED)}. When true, the broker's clock may have started
     * earlier (a read-ahead buffer): a settlement must then not touch a message that the broker has
     * delivered again meanwhile (to another member, or to this one), and fails as {@code EXPIRED}
     * instead (an ownership check in the same atomic step, a delivery count, a lease token).
     */
    default boolean enforcesAckTimeout() {
        return false;
    }

    /**
     * The most settlements one {@link #settle} call takes, for a driver whose broker settles many at
     * once for about the price of one (one script call, one round trip). 0, the default, means the
     * core calls each delivery's own methods. The core gathers settlements while a call runs, with no
     * timer: when idle each goes at once, under load they go in batches, in the order they were made.
     * The consumer receives only while at most (calls + 1) times the larger of this and its in-flight bound
     * are on the way (not completed by {@link #settle}; calls: {@link #settlementCalls()}), and its close
     * waits for them before {@link #close()}.
     */
    default int settlementBatch() {
        return 0;
    }

    /**
     * How many {@link #settle} calls may run at once (only when {@link #settlementBatch()} is above 0).
     * 1, the default: one at a time. More only where the broker applies the calls in the order they were
     * sent (one pipelined connection does), so that the round trips overlap and settlements still take
     * effect in the order they were made; the calls start in that order.
     */
    default int settlementCalls() {
        return 1;
    }

    /**
     * Carries out a batch of settlements the core gathered (only when {@link #settlementBatch()} is
     * above 0); the core makes at most {@link #settlementCalls()} calls at a time. The result has one entry per settlement, in order:
     * null when the broker has it, or why it failed.
     */
    default CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        throw new UnsupportedOperationException(getClass().getName() + " settles one delivery at a time (settlementBatch() is 0)");
    }

    /**
     * The consumer lag of this consumer's group, where the broker tells it: how many messages of the topic
     * wait for the group and have not been delivered to any member yet (deliveries in flight, unacked, are
     * not counted). Asked by interceptors (a lag gauge), which bound how often; each call may cost one
     * round trip to the broker, and should give up within a few seconds. Empty, the default, when the broker
     * does not say (or not now); each module's README says what its number is.
     *
     * @return the number of messages, or empty when unknown
     */
    default OptionalLong lag() {
        return OptionalLong.empty();
    }

    /** Releases resources. The core has released every unsettled delivery first. */
    void close();
}
