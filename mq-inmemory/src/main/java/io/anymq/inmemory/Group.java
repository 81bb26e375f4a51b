package io.anymq.inmemory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One group of one topic: its cursor in the topic's log and the entries it has taken from the log
 * and not finished, under the group's own lock (producers never take it, except to wake a waiting
 * member or, when the topic is full, to read the group's floor).
 *
 * <p>With key ordering (asked for by any member with {@code keyOrdered}), a key whose entry is
 * active (ready, in flight, or waiting out a nack's delay) is locked: later entries of that key
 * are parked in order until it finishes, so a key's messages reach the group one at a time, in
 * send order.
 */
final class Group {
    final Topic topic;
    final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    /** Members waiting for work; read by producers without the lock (see {@link #poll}). */
    private volatile int waiters;
    /** The next sequence number to take from the log. */
    private long cursor;
    private boolean keyOrdered;

    /** Every entry taken from the log and not finished, in sequence order (finished ones dropped from the head lazily). */
    private final ArrayDeque<Entry> live = new ArrayDeque<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final PriorityQueue<Entry> scheduled = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.dueNanos).thenComparingLong(e -> e.seq));
    private final Map<Object, ArrayDeque<Entry>> parked = new HashMap<>();

    Group(Topic topic, String name, long cursor) {
        this.topic = topic;
        this.name = name;
        this.cursor = cursor;
    }

    void requireKeyOrdering() {
        lock.lock();
        try {
            keyOrdered = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to max deliverable entries, waiting up to the timeout (one slice of the core's
     * receive loop) for the first; possibly none.
     *
     * <p>No wakeup is lost: a member registers as a waiter and then looks at the log's tail once
     * more; a producer publishes the tail and then looks for waiters. With volatile accesses on both
     * sides, at least one of them sees the other.
     */
    List<Entry> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                List<Entry> out = takeReady(max);
                if (!out.isEmpty()) {
                    return out;
                }
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    return out;
                }
                waiters++;
                try {
                    if (cursor < topic.tail()) {
                        continue; // appended after takeReady looked
                    }
                    hasWork.awaitNanos(Math.max(1, Math.min(left, nanosUntilNextDue(now))));
                } finally {
                    waiters--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Entries waiting for a member: not yet taken from the log, ready, scheduled (a delay), or parked behind their key. */
    long lag() {
        lock.lock();
        try {
            long waiting = Math.max(0, topic.tail() - Math.max(cursor, topic.head())) + ready.size() + scheduled.size();
            for (ArrayDeque<Entry> q : parked.values()) {
                waiting += q.size();
            }
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> takeReady(int max) {
        long nowNanos = System.nanoTime();
        long nowMillis = -1;
        promoteDue(nowNanos);
        long tail = topic.tail();
        List<Entry> out = null;
        while (true) {
            Entry e = ready.pollFirst();
            if (e == null) {
                if (cursor >= tail) {
                    break;
                }
                long head = topic.head();
                if (cursor < head) {
                    cursor = head; // only a group made at the start of what is retained can lag the head
                }
                if (nowMillis < 0) {
                    nowMillis = System.currentTimeMillis();
                }
                long seq = cursor++;
                take(new Entry(this, seq, topic.messageAt(seq)), nowNanos, nowMillis);
                continue;
            }
            e.moveTo(Entry.State.IN_FLIGHT);
            e.deliveries++;
            if (out == null) {
                out = new ArrayList<>(Math.min(max, 64));
            }
            out.add(e);
            if (out.size() >= max) {
                break;
            }
        }
        return out == null ? List.of() : out;
    }

    /** Takes the message at the cursor into the group. */
    private void take(Entry e, long nowNanos, long nowMillis) {
        dropFinishedHead();
        live.addLast(e);
        if (e.message.deliverAt() != null && e.message.deliverAt().toEpochMilli() > nowMillis) {
            e.dueNanos = nowNanos + (e.message.deliverAt().toEpochMilli() - nowMillis) * 1_000_000L;
            schedule(e);
        } else {
            makeReady(e);
        }
    }

    /** The key as a map key: text, or the bytes (compared by content) of a key that is not text. */
    private static Object orderingKey(io.anymq.Message m) {
        return m.hasBinaryKey() ? java.nio.ByteBuffer.wrap(m.keyBytes()) : m.key();
    }

    /** Ready to deliver, unless its key is locked by another entry. */
    private void makeReady(Entry e) {
        Object key = orderingKey(e.message);
        if (keyOrdered && key != null && !e.holdsKey) {
            ArrayDeque<Entry> waiting = parked.get(key);
            if (waiting != null) {
                e.moveTo(Entry.State.PARKED);
                waiting.addLast(e);
                return;
            }
            parked.put(key, new ArrayDeque<>(2));
            e.holdsKey = true;
        }
        e.moveTo(Entry.State.READY);
        ready.addLast(e);
    }

    private void schedule(Entry e) {
        e.moveTo(Entry.State.SCHEDULED);
        scheduled.add(e);
    }

    private void promoteDue(long nowNanos) {
        Entry e;
        while ((e = scheduled.peek()) != null && e.dueNanos - nowNanos <= 0) {
            scheduled.poll();
            makeReady(e);
        }
    }

    private long nanosUntilNextDue(long nowNanos) {
        Entry e = scheduled.peek();
        return e == null ? Long.MAX_VALUE : Math.max(0, e.dueNanos - nowNanos);
    }

    /**
     * Acked or rejected. Lock-free unless the entry holds its key's lock, which passes to the key's
     * next parked entry under the group's lock; finished entries leave {@code live} lazily.
     */
    void finish(Entry e) {
        if (!e.holdsKey) {
            e.state = Entry.State.DONE;
            return;
        }
        lock.lock();
        try {
            e.state = Entry.State.DONE;
            e.holdsKey = false;
            Object key = orderingKey(e.message);
            ArrayDeque<Entry> waiting = parked.get(key);
            Entry next = waiting == null ? null : waiting.pollFirst();
            if (next == null) {
                parked.remove(key);
            } else {
                next.holdsKey = true;
                next.moveTo(Entry.State.READY);
                ready.addLast(next);
                hasWork.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Nacked or released: back to ready now or after the delay, keeping its key's lock. */
    void redeliver(Entry e, Duration delay) {
        lock.lock();
        try {
            if (e.state != Entry.State.IN_FLIGHT) {
                return;
            }
            long delayNanos = delay.toNanos();
            if (delayNanos <= 0) {
                e.moveTo(Entry.State.READY);
                ready.addLast(e);
            } else {
                e.dueNanos = System.nanoTime() + delayNanos;
                schedule(e);
            }
            hasWork.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called by a producer after it published new messages. */
    void notifyAppended(boolean all) {
        if (waiters == 0) {
            return;
        }
        lock.lock();
        try {
            if (all) {
                hasWork.signalAll();
            } else {
                hasWork.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The lowest sequence number this group still needs from the log. */
    long floor() {
        lock.lock();
        try {
            dropFinishedHead();
            Entry head = live.peekFirst();
            return head == null ? cursor : head.seq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the finished entries at the head of the live ones (under the lock). Done on every take as well as in
     * {@link #floor}, so that the deque stays about as long as what is in flight: done only in {@link #floor} (which
     * the topic asks only when it must drop old messages), thousands of finished entries piled up between two
     * calls and were dropped in one go while the group's consumers waited for its lock.
     */
    private void dropFinishedHead() {
        Entry head;
        while ((head = live.peekFirst()) != null && head.state == Entry.State.DONE) {
            live.pollFirst();
        }
    }

    /** Messages not acked yet: taken and unfinished, plus those the cursor has not reached. */
    long backlog() {
        lock.lock();
        try {
            long unfinished = live.stream().filter(e -> e.state != Entry.State.DONE).count();
            return unfinished + (topic.tail() - cursor);
        } finally {
            lock.unlock();
        }
    }
}
