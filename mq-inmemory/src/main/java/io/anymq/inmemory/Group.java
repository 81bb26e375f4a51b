package io.anymq.inmemory;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;

/**
 * One group of one topic: its cursor in the topic's log and the entries it has taken from the log
 * and not finished. Guarded by the topic's lock.
 *
 * <p>With key ordering (asked for by any member with {@code keyOrdered}), a key whose entry is
 * active (ready, in flight, or waiting for a nack's delay) is locked: later entries of that key
 * are parked in order until it finishes, so a key's messages reach the group one at a time, in
 * send order.
 */
final class Group {
    final Topic topic;
    final String name;
    final Condition hasWork;
    int waiters;
    /** The next sequence number to take from the log. */
    long cursor;
    boolean keyOrdered;

    /** Every entry taken from the log and not finished, in sequence order (finished ones dropped from the head lazily). */
    private final ArrayDeque<Entry> live = new ArrayDeque<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final PriorityQueue<Entry> scheduled = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.dueNanos).thenComparingLong(e -> e.seq));
    private final Map<String, ArrayDeque<Entry>> parked = new HashMap<>();

    Group(Topic topic, String name, long cursor, Condition hasWork) {
        this.topic = topic;
        this.name = name;
        this.cursor = cursor;
        this.hasWork = hasWork;
    }

    /** Takes the message at the cursor into the group. */
    void take(Entry e, long nowNanos, long nowMillis) {
        live.addLast(e);
        if (e.message.deliverAt() != null && e.message.deliverAt().toEpochMilli() > nowMillis) {
            e.dueNanos = nowNanos + (e.message.deliverAt().toEpochMilli() - nowMillis) * 1_000_000L;
            schedule(e);
        } else {
            makeReady(e);
        }
    }

    /** Ready to deliver, unless its key is locked by another entry. */
    void makeReady(Entry e) {
        String key = e.message.key();
        if (keyOrdered && key != null && !e.holdsKey) {
            ArrayDeque<Entry> waiting = parked.get(key);
            if (waiting != null) {
                e.state = Entry.State.PARKED;
                waiting.addLast(e);
                return;
            }
            parked.put(key, new ArrayDeque<>(2));
            e.holdsKey = true;
        }
        e.state = Entry.State.READY;
        ready.addLast(e);
    }

    void schedule(Entry e) {
        e.state = Entry.State.SCHEDULED;
        scheduled.add(e);
    }

    /** Moves due scheduled entries to ready. */
    void promoteDue(long nowNanos) {
        Entry e;
        while ((e = scheduled.peek()) != null && e.dueNanos - nowNanos <= 0) {
            scheduled.poll();
            makeReady(e);
        }
    }

    /** The next ready entry, or null. */
    Entry pollReady() {
        return ready.pollFirst();
    }

    /** Nanos until the next scheduled entry is due, or Long.MAX_VALUE when none is. */
    long nanosUntilNextDue(long nowNanos) {
        Entry e = scheduled.peek();
        return e == null ? Long.MAX_VALUE : Math.max(0, e.dueNanos - nowNanos);
    }

    /** Acked or rejected while holding its key's lock: done for good; hands the lock to the key's next parked entry. */
    void finishKeyHolder(Entry e) {
        e.state = Entry.State.DONE;
        if (e.holdsKey) {
            e.holdsKey = false;
            String key = e.message.key();
            ArrayDeque<Entry> waiting = parked.get(key);
            Entry next = waiting == null ? null : waiting.pollFirst();
            if (next == null) {
                parked.remove(key);
            } else {
                next.holdsKey = true;
                next.state = Entry.State.READY;
                ready.addLast(next);
            }
        }
    }

    /** Nacked or released: back to ready now or after the delay, keeping its key's lock. */
    void redeliver(Entry e, long delayNanos, long nowNanos) {
        if (delayNanos <= 0) {
            e.state = Entry.State.READY;
            ready.addLast(e);
        } else {
            e.dueNanos = nowNanos + delayNanos;
            schedule(e);
        }
    }

    /** The lowest sequence number this group still needs from the log. */
    long floor() {
        Entry head;
        while ((head = live.peekFirst()) != null && head.state == Entry.State.DONE) {
            live.pollFirst();
        }
        return head == null ? cursor : head.seq;
    }

    /** Messages not acked yet: taken and unfinished, plus those the cursor has not reached. */
    long backlog(long tail) {
        long unfinished = live.stream().filter(e -> e.state != Entry.State.DONE).count();
        return unfinished + (tail - cursor);
    }
}
