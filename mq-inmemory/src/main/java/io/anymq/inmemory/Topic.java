package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.Message;
import io.anymq.MessagingInterruptedException;
import io.anymq.Receipt;
import io.anymq.StartPosition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One topic: a bounded log of messages (a ring that grows up to the capacity) and its groups, under
 * one lock. A message leaves the log when the log needs room and every group is past it; when no
 * message can leave, a send waits or fails (the topic is full), so memory stays bounded.
 */
final class Topic {
    private static final int INITIAL_RING = 1024;
    private static final long FULL_RECHECK_NANOS = 5_000_000L;

    final String name;
    private final InMemorySettings settings;
    private final int capacity;
    final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private volatile int fullWaiters;
    private Message[] ring;
    /** The oldest retained sequence number. */
    private long head;
    /** The next sequence number. */
    private long tail;
    private final Map<String, Group> groups = new HashMap<>();
    /** The groups as an array, replaced when a group is added: the send path iterates it without allocating. */
    private Group[] groupArray = new Group[0];

    Topic(String name, InMemorySettings settings) {
        this.name = name;
        this.settings = settings;
        this.capacity = settings.capacity();
        this.ring = new Message[Math.min(INITIAL_RING, capacity)];
    }

    Receipt append(Message m) {
        long seq;
        lock.lock();
        try {
            seq = store(m);
            signalGroups(false);
        } finally {
            lock.unlock();
        }
        return receipt(m, seq);
    }

    /** Appends every message, in order; each waits for room as a single send would. */
    List<Receipt> appendAll(List<Message> messages) {
        long first;
        lock.lock();
        try {
            first = tail;
            for (Message m : messages) {
                store(m);
            }
            signalGroups(true);
        } finally {
            lock.unlock();
        }
        List<Receipt> receipts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            receipts.add(receipt(messages.get(i), first + i));
        }
        return receipts;
    }

    private Receipt receipt(Message m, long seq) {
        return Receipt.of(name, m, seq);
    }

    private long store(Message m) {
        makeRoom();
        long seq = tail;
        ring[(int) (seq % ring.length)] = m;
        tail = seq + 1;
        return seq;
    }

    private void makeRoom() {
        if (tail - head < ring.length) {
            return;
        }
        if (ring.length < capacity) {
            grow();
            return;
        }
        long deadline = 0;
        while (tail - head >= capacity) {
            if (head < minFloor()) {
                ring[(int) (head % ring.length)] = null;
                head++;
                return;
            }
            if (!settings.blockWhenFull()) {
                throw full();
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + settings.blockTimeout().toNanos();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new BackpressureException("topic '" + name + "' stayed full (capacity " + capacity
                        + " messages, not yet acked by every group) for " + settings.blockTimeout());
            }
            fullWaiters++;
            try {
                // acks are lock-free, so a wakeup can be missed: wait in short slices and look again
                notFull.awaitNanos(Math.min(left, FULL_RECHECK_NANOS));
            } catch (InterruptedException e) {
                throw new MessagingInterruptedException("interrupted while waiting for room in topic '" + name + "'", e);
            } finally {
                fullWaiters--;
            }
        }
    }

    private BackpressureException full() {
        return new BackpressureException("topic '" + name + "' is full: " + capacity
                + " messages retained and not yet acked by every group (option when-full=fail)");
    }

    private void grow() {
        int newLength = (int) Math.min(capacity, (long) ring.length * 2);
        Message[] bigger = new Message[newLength];
        for (long s = head; s < tail; s++) {
            bigger[(int) (s % newLength)] = ring[(int) (s % ring.length)];
        }
        ring = bigger;
    }

    private long minFloor() {
        long min = tail;
        for (Group g : groupArray) {
            min = Math.min(min, g.floor());
        }
        return min;
    }

    private void signalGroups(boolean all) {
        for (Group g : groupArray) {
            if (g.waiters > 0) {
                if (all) {
                    g.hasWork.signalAll();
                } else {
                    g.hasWork.signal();
                }
            }
        }
    }

    /** The group; made at the start position if it does not exist yet. */
    Group group(String groupName, StartPosition start, boolean keyOrdered) {
        lock.lock();
        try {
            Group g = groups.get(groupName);
            if (g == null) {
                g = new Group(this, groupName, start == StartPosition.EARLIEST ? head : tail, lock.newCondition());
                groups.put(groupName, g);
                groupArray = groups.values().toArray(new Group[0]);
            }
            g.keyOrdered |= keyOrdered;
            return g;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to max deliverable entries for the group, waiting up to the timeout for the first.
     * Returns early, possibly empty, when the wakeup says so.
     */
    List<Entry> poll(Group g, int max, Duration timeout, InMemoryConsumerDriver.Wakeup wakeup) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                List<Entry> out = takeReady(g, max);
                if (!out.isEmpty() || wakeup.consume()) {
                    return out;
                }
                long now = System.nanoTime();
                long wait = Math.min(deadline - now, g.nanosUntilNextDue(now));
                if (deadline - now <= 0) {
                    return out;
                }
                g.waiters++;
                try {
                    g.hasWork.awaitNanos(Math.max(1, wait));
                } finally {
                    g.waiters--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> takeReady(Group g, int max) {
        long nowNanos = System.nanoTime();
        long nowMillis = -1;
        g.promoteDue(nowNanos);
        List<Entry> out = null;
        while (true) {
            Entry e = g.pollReady();
            if (e == null) {
                if (g.cursor >= tail) {
                    break;
                }
                if (g.cursor < head) {
                    g.cursor = head; // only for a group that starts before what is retained
                }
                if (nowMillis < 0) {
                    nowMillis = System.currentTimeMillis();
                }
                long seq = g.cursor++;
                g.take(new Entry(g, seq, ring[(int) (seq % ring.length)]), nowNanos, nowMillis);
                continue;
            }
            e.state = Entry.State.IN_FLIGHT;
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

    /**
     * Acked or rejected. Lock-free unless the entry holds its key's lock (which passes to the key's
     * next entry under the lock); the group drops finished entries lazily.
     */
    void finish(Entry e) {
        if (!e.holdsKey) {
            e.state = Entry.State.DONE;
            if (fullWaiters > 0) {
                lock.lock();
                try {
                    notFull.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            return;
        }
        lock.lock();
        try {
            if (e.state == Entry.State.DONE) {
                return;
            }
            Group g = e.group;
            g.finishKeyHolder(e);
            if (g.waiters > 0) {
                g.hasWork.signal(); // the key's next parked entry may be ready now
            }
            if (fullWaiters > 0) {
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void redeliver(Entry e, Duration delay) {
        lock.lock();
        try {
            if (e.state != Entry.State.IN_FLIGHT) {
                return;
            }
            Group g = e.group;
            g.redeliver(e, delay.toNanos(), System.nanoTime());
            if (g.waiters > 0) {
                g.hasWork.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void wakeup(Group g) {
        lock.lock();
        try {
            g.hasWork.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int retained() {
        lock.lock();
        try {
            return (int) (tail - head);
        } finally {
            lock.unlock();
        }
    }

    long backlog(String groupName) {
        lock.lock();
        try {
            Group g = groups.get(groupName);
            return g == null ? 0 : g.backlog(tail);
        } finally {
            lock.unlock();
        }
    }
}
