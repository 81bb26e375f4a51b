package io.anymq.tck;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * A stream of numbered messages through one topic while members ack what they get, with something done
 * at chosen points of the stream (a fault, a member leaving): what the fault and stress scenarios count.
 * Neither side is helped: after a fault, producer and members must recover by themselves. Public so that a
 * test outside the suite (anymq's own broker-restart check in {@code integration-tests}) counts the same way.
 */
public final class StreamCheck {
    private final String scenario;
    private final Function<String, Producer> producerOf;
    /** The suite's context, to which the count and the observations go; null outside the suite. */
    private final TckContext tck;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    /** Sends neither confirmed nor failed yet: one that is confirmed late must still be counted before the members stop. */
    private final AtomicLong unsettledSends = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> receivers = new ArrayList<>();
    /** Where set, members handle and ack through it (the per-key order check); else they just ack. */
    private KeyOrder order;

    StreamCheck(TckContext tck, String scenario) {
        this(scenario, tck::producer, tck);
    }

    /**
     * A check outside the suite.
     *
     * @param name      the start of every message id ({@code <name>-<i>}) and of the threads' names
     * @param producers makes a producer of a topic
     */
    public StreamCheck(String name, Function<String, Producer> producers) {
        this(name, producers, null);
    }

    private StreamCheck(String scenario, Function<String, Producer> producers, TckContext tck) {
        this.scenario = scenario;
        this.producerOf = producers;
        this.tck = tck;
    }

    /** Members handle their deliveries one at a time through this per-key order check (set before the first join). */
    StreamCheck inKeyOrder(KeyOrder check) {
        this.order = check;
        return this;
    }

    /** How many distinct messages arrived so far (without copying them, as {@link #received()} does). */
    public int receivedCount() {
        return received.size();
    }

    /** A member that receives and acks everything until the check ends or the member is {@link #leave left}. */
    public Consumer join(Consumer member) {
        String memberName = "member-" + receivers.size();
        KeyOrder.Member handler = order == null ? null : order.member(memberName);
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    List<Delivery> batch = member.receive(100, Duration.ofMillis(200));
                    if (handler != null) {
                        handler.received();
                    }
                    for (Delivery d : batch) {
                        deliveries.incrementAndGet();
                        received.add(d.message().id());
                        if (handler == null) {
                            d.ack();
                        } else {
                            handler.handle(d);
                        }
                    }
                } catch (io.anymq.ClosedException closed) {
                    return;
                } catch (RuntimeException brokerAway) {
                    // the member recovers by itself; a settlement refused after a fault means a redelivery, counted as a duplicate
                    receiveErrors.incrementAndGet();
                    pause();
                }
            }
        }, "tck-" + scenario + "-" + memberName);
        t.setDaemon(true);
        synchronized (receivers) {
            receivers.add(t);
        }
        t.start();
        return member;
    }

    /** Closes a member (what it held unsettled goes back to the group). */
    public void leave(Consumer member) {
        member.close();
    }

    /**
     * Sends {@code total} messages (ids {@code <scenario>-<i>}) from {@code producers} producers of the topic in
     * turn, calling {@code at} before message i; then waits, up to {@code wait}, until every send is settled
     * (confirmed or failed) and every confirmed message arrived, stops the members' receiving, and returns the count.
     */
    public TckReport.Tally run(String topic, int producers, int total, IntConsumer at, Duration wait) throws InterruptedException {
        List<Producer> ps = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            ps.add(producerOf.apply(topic));
        }
        for (int i = 0; i < total; i++) {
            at.accept(i);
            String id = scenario + "-" + i;
            unsettledSends.incrementAndGet();
            try {
                ps.get(i % producers).send(Message.builder().payload("m" + i).key("k" + (i % 16)).id(id).build())
                        .whenComplete((r, e) -> {
                            if (e == null) {
                                confirmed.add(id);
                            } else {
                                failedSends.incrementAndGet();
                            }
                            unsettledSends.decrementAndGet();
                        });
            } catch (RuntimeException refused) {
                failedSends.incrementAndGet();
                unsettledSends.decrementAndGet();
            }
        }
        for (Producer p : ps) {
            p.close(Duration.ofSeconds(30));
        }
        long end = System.nanoTime() + wait.toNanos();
        // a send the close stopped waiting for is in doubt and may still be confirmed: the members keep receiving until
        // every send is settled, so that a late confirmation is not judged lost because nobody was receiving any more
        while ((unsettledSends.get() > 0 || !received.containsAll(confirmed)) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        stop.set(true);
        synchronized (receivers) {
            for (Thread t : receivers) {
                t.join(5000);
            }
        }
        long lost = confirmed.stream().filter(id -> !received.contains(id)).count();
        TckReport.Tally tally = new TckReport.Tally(scenario, total, confirmed.size(), received.size(), lost,
                deliveries.get() - received.size());
        if (tck != null) {
            tck.tally(tally);
        }
        if (tck != null && (failedSends.get() > 0 || receiveErrors.get() > 0 || unsettledSends.get() > 0)) {
            tck.observe(scenario, failedSends.get() + " sends failed (not confirmed), " + receiveErrors.get() + " receive or settle errors"
                    + (unsettledSends.get() > 0 ? ", " + unsettledSends.get() + " sends neither confirmed nor failed at the end" : ""));
        }
        return tally;
    }

    /** The ids whose send the broker confirmed. */
    public Set<String> confirmed() {
        return Set.copyOf(confirmed);
    }

    /** The distinct ids the members received. */
    public Set<String> received() {
        return Set.copyOf(received);
    }

    /** Sends neither confirmed nor failed when the check ended (in doubt: a confirmation after the end is not received). */
    public long unsettledSends() {
        return unsettledSends.get();
    }

    /** Sends that failed or were refused (not confirmed). */
    public long failedSends() {
        return failedSends.get();
    }

    /** The ids that were confirmed and never arrived, for an assertion message (at most 20). */
    public List<String> lostIds() {
        return confirmed.stream().filter(id -> !received.contains(id)).sorted().limit(20).toList();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
