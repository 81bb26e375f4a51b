package io.anymq.tck;

import io.anymq.Delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The per-key order check of a group of competing members (design.md §2 "Ordering": messages of one key from one
 * producer reach a group in send order while the group processes them one at a time per key).
 *
 * <p>Each member handles what it receives one delivery at a time, in the order received, and acks it
 * ({@link Member#handle}). One clock for the whole group stamps when a handling starts (the receive that gave the
 * delivery, or the member's previous ack, whichever is later) and when its ack is asked for. Only
 * handlings whose ack the backend accepted count (the future completed normally): one whose ack was refused
 * ({@code SettlementException}: {@code REVOKED} after a rebalance, {@code CONSUMER_CLOSED}, {@code EXPIRED}) was
 * taken away from the member, and its message comes again. The check ({@link #violations()}), per key:
 * a settled handling of message {@code s} started only after the ack of every settled handling of an earlier message
 * was asked for. So nothing overtakes an earlier message that is still being processed anywhere in the group, and
 * nothing goes backwards past a message already settled. A message settled more than once (a redelivery that does
 * not go backwards) is counted as a duplicate, not failed.
 */
final class KeyOrder {
    /** One handling whose ack the backend accepted. */
    private record Settled(String key, int seq, long start, long ackAsked, String member) {
    }

    private final AtomicLong clock = new AtomicLong();
    private final Queue<Settled> settled = new ConcurrentLinkedQueue<>();
    private final Queue<CompletableFuture<?>> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong refused = new AtomicLong();
    private final ToIntFunction<Delivery> seqOf;

    /** @param seqOf the position of a delivery's message among the messages of its key, from 0, in send order */
    KeyOrder(ToIntFunction<Delivery> seqOf) {
        this.seqOf = seqOf;
    }

    /** A member of the group: {@link #received()} after each receive, then {@link #handle} each delivery in turn. */
    final class Member {
        private final String name;
        /** When this member could begin its next handling: after its receive returned and its previous ack was asked for. */
        private long since;

        private Member(String name) {
            this.name = name;
        }

        /** A receive returned: the member holds what it gave from now on. */
        void received() {
            since = clock.incrementAndGet();
        }

        /**
         * Handles one delivery: it started when the member could begin it (the receive, or the previous ack), and it is
         * done when its ack is asked for. Throws what {@code ack()} throws at once other than a refusal (the consumer
         * closed, for example): that handling settles nothing.
         */
        void handle(Delivery d) {
            String key = d.message().key();
            int seq = seqOf.applyAsInt(d);
            long start = since;
            long ackAsked = clock.incrementAndGet();
            since = ackAsked;
            CompletableFuture<Void> ack;
            try {
                ack = d.ack();
            } catch (io.anymq.SettlementException refusedAtOnce) {
                refused.incrementAndGet();
                return;
            }
            acks.add(ack.whenComplete((ok, failure) -> {
                if (failure == null) {
                    settled.add(new Settled(key, seq, start, ackAsked, name));
                } else {
                    refused.incrementAndGet();
                }
            }));
        }
    }

    /** A member of the group (one per consumer; used by that consumer's thread only). */
    Member member(String name) {
        return new Member(name);
    }

    /** Waits (up to {@code wait}) for the outcome of every ack asked for. */
    void awaitAcks(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        for (CompletableFuture<?> f : acks) {
            try {
                f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notSettled) {
                // refused (counted when it completed) or still open: either way it settled nothing
            }
        }
    }

    /** Acks the backend refused (the message was taken away and comes again). */
    long refused() {
        return refused.get();
    }

    /** Settled handlings beyond the first of a message (redeliveries of something already acked). */
    long duplicates() {
        return settled.size() - settled.stream().map(s -> s.key() + "#" + s.seq()).distinct().count();
    }

    /** For each key, how many distinct messages were settled. */
    Map<String, Integer> settledPerKey() {
        Map<String, Integer> out = new TreeMap<>();
        settled.stream().map(s -> s.key() + "\u0000" + s.seq()).distinct()
                .forEach(k -> out.merge(k.substring(0, k.indexOf('\u0000')), 1, Integer::sum));
        return out;
    }

    /** The distinct messages of a key that were settled, as sequence numbers. */
    java.util.SortedSet<Integer> settledOf(String key) {
        java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
        settled.stream().filter(s -> s.key().equals(key)).forEach(s -> out.add(s.seq()));
        return out;
    }

    /**
     * Every settled handling that started before the ack of an earlier message of its key was asked for (at most
     * {@code limit}, described), empty when per-key order held.
     */
    List<String> violations(int limit) {
        Map<String, List<Settled>> byKey = new TreeMap<>();
        for (Settled s : settled) {
            byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        List<String> out = new ArrayList<>();
        for (List<Settled> handlings : byKey.values()) {
            handlings.sort(Comparator.comparingInt(Settled::seq).thenComparingLong(Settled::start));
            // the latest ack asked for among the messages before the current one, and which handling that was
            Settled latestBefore = null;
            Settled latestOfSeq = null;
            int seq = -1;
            for (Settled h : handlings) {
                if (h.seq() != seq) {
                    if (latestOfSeq != null && (latestBefore == null || latestOfSeq.ackAsked() > latestBefore.ackAsked())) {
                        latestBefore = latestOfSeq;
                    }
                    latestOfSeq = null;
                    seq = h.seq();
                }
                if (latestBefore != null && h.start() < latestBefore.ackAsked() && out.size() < limit) {
                    out.add("key " + h.key() + ": message " + h.seq() + " handled by " + h.member() + " from tick " + h.start()
                            + ", before the earlier message " + latestBefore.seq() + " was done (" + latestBefore.member()
                            + " acked it at tick " + latestBefore.ackAsked() + "): both at once, or backwards past a settled message");
                }
                if (latestOfSeq == null || h.ackAsked() > latestOfSeq.ackAsked()) {
                    latestOfSeq = h;
                }
            }
        }
        return out;
    }
}
