package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.Message;
import io.anymq.MessagingInterruptedException;
import io.anymq.Receipt;
import io.anymq.StartPosition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One topic: a bounded log of messages (a ring that grows up to the capacity) and its groups.
 * Producers append under the topic's append lock and publish the new tail with a volatile write;
 * consumers read the log without that lock, under their group's lock.
 *
 * <p>Messages leave the log when it needs room and every group is past them. When none can
 * leave, the topic is full: a send waits or fails, so memory stays bounded.
 */
final class Topic {
    private static final int INITIAL_RING = 1024;
    private static final long FULL_RECHECK_NANOS = 5_000_000L;

    final String name;
    private final InMemorySettings settings;
    private final int capacity;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Condition notFull = appendLock.newCondition();
    private volatile int fullWaiters;
    /** Replaced (never shrunk) under the append lock before the tail that needs it is published. */
    private volatile Message[] ring;
    /** The oldest retained sequence number. */
    private volatile long head;
    /** The next sequence number; everything below it is readable. */
    private volatile long tail;
    private final Map<String, Group> groups = new HashMap<>();
    /** The groups as an array, replaced when a group is added: the send path iterates it without allocating. */
    private volatile Group[] groupArray = new Group[0];

    Topic(String name, InMemorySettings settings) {
        this.name = name;
        this.settings = settings;
        this.capacity = settings.capacity();
        this.ring = new Message[Math.min(INITIAL_RING, capacity)];
    }

    long tail() {
        return tail;
    }

    long head() {
        return head;
    }

    /** The message at a sequence number below the tail and at or above the head. */
    Message messageAt(long seq) {
        Message[] r = ring;
        return r[(int) (seq % r.length)];
    }

    Receipt append(Message m) {
        long seq;
        appendLock.lock();
        try {
            seq = store(m);
        } finally {
            appendLock.unlock();
        }
        for (Group g : groupArray) {
            g.notifyAppended(false);
        }
        return Receipt.of(name, m, seq);
    }

    /** Appends every message, in order; each waits for room as a single send would. */
    List<Receipt> appendAll(List<Message> messages) {
        long first;
        appendLock.lock();
        try {
            first = tail;
            for (Message m : messages) {
                store(m);
            }
        } finally {
            appendLock.unlock();
        }
        for (Group g : groupArray) {
            g.notifyAppended(true);
        }
        List<Receipt> receipts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            receipts.add(Receipt.of(name, messages.get(i), first + i));
        }
        return receipts;
    }

    /**
     * Appends the messages of one transaction to their topics: every one, or (no room in a topic) none.
     * The topics' append locks are taken in name order, so transactions over the same topics cannot
     * deadlock; a transaction does not wait for room (it holds other topics' locks): it fails at once.
     *
     * @return the receipts, in the order of {@code sends}
     */
    static List<Receipt> appendTogether(List<Topic> topics, List<Message> messages) {
        Map<Topic, Integer> counts = new java.util.TreeMap<>(java.util.Comparator.comparing((Topic t) -> t.name));
        for (Topic t : topics) {
            counts.merge(t, 1, Integer::sum);
        }
        List<Topic> locked = new ArrayList<>(counts.size());
        long[] seqs = new long[messages.size()];
        try {
            for (Topic t : counts.keySet()) {
                t.appendLock.lock();
                locked.add(t);
            }
            for (Map.Entry<Topic, Integer> e : counts.entrySet()) {
                e.getKey().reserveRoom(e.getValue());
            }
            for (int i = 0; i < messages.size(); i++) {
                seqs[i] = topics.get(i).store(messages.get(i));
            }
        } finally {
            for (Topic t : locked) {
                t.appendLock.unlock();
            }
        }
        for (Topic t : counts.keySet()) {
            for (Group g : t.groupArray) {
                g.notifyAppended(true);
            }
        }
        List<Receipt> receipts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            receipts.add(Receipt.of(topics.get(i).name, messages.get(i), seqs[i]));
        }
        return receipts;
    }

    /** Makes room for n more messages now (growing, or dropping what every group is past), or fails without waiting. */
    private void reserveRoom(int n) {
        if (n > capacity) {
            throw new BackpressureException("a transaction of " + n + " messages to topic '" + name + "' is more than its capacity of "
                    + capacity + " messages");
        }
        while (tail - head + n > ring.length) {
            if (ring.length < capacity) {
                grow();
                continue;
            }
            long floor = minFloor();
            if (head >= floor) {
                throw new BackpressureException("topic '" + name + "' has no room for a transaction's " + n + " messages: " + capacity
                        + " messages retained and not yet acked by every group");
            }
            evictUpTo(floor);
        }
    }

    private long store(Message m) {
        makeRoom();
        long seq = tail;
        Message[] r = ring;
        r[(int) (seq % r.length)] = m;
        tail = seq + 1; // publishes the slot
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
            long floor = minFloor();
            if (head < floor) {
                evictUpTo(floor);
                return;
            }
            if (!settings.blockWhenFull()) {
                throw new BackpressureException("topic '" + name + "' is full: " + capacity
                        + " messages retained and not yet acked by every group (option when-full=fail)");
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

    /**
     * Drops a chunk of old messages below the floor (at most a sixteenth of the capacity), so that
     * the floor is looked up rarely and at least 15/16 of the capacity stays retained for replay.
     */
    private void evictUpTo(long floor) {
        Message[] r = ring;
        long h = head;
        long to = Math.min(floor, h + Math.max(1, capacity / 16));
        for (long s = h; s < to; s++) {
            r[(int) (s % r.length)] = null;
        }
        head = to;
    }

    private void grow() {
        Message[] old = ring;
        int newLength = (int) Math.min(capacity, (long) old.length * 2);
        Message[] bigger = new Message[newLength];
        for (long s = head; s < tail; s++) {
            bigger[(int) (s % newLength)] = old[(int) (s % old.length)];
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

    /** A finished entry may have made room: wake producers waiting for it. */
    void entryFinished() {
        if (fullWaiters > 0) {
            appendLock.lock();
            try {
                notFull.signalAll();
            } finally {
                appendLock.unlock();
            }
        }
    }

    /** The group; made at the start position if it does not exist yet. */
    Group group(String groupName, StartPosition start, boolean keyOrdered) {
        Group g;
        appendLock.lock();
        try {
            g = groups.get(groupName);
            if (g == null) {
                g = new Group(this, groupName, start == StartPosition.EARLIEST ? head : start.isTime() ? firstAtOrAfter(start.time()) : tail);
                groups.put(groupName, g);
                groupArray = groups.values().toArray(new Group[0]);
            }
        } finally {
            appendLock.unlock();
        }
        if (keyOrdered) {
            g.requireKeyOrdering();
        }
        return g;
    }

    /**
     * The first retained sequence number whose message's timestamp is at or after the time (the log is in
     * send order; a sender's own earlier timestamp further on does not move the start back), or the tail.
     * Called under the append lock, so nothing is evicted meanwhile.
     */
    private long firstAtOrAfter(Instant time) {
        for (long s = head; s < tail; s++) {
            Instant t = messageAt(s).timestamp();
            if (t != null && !t.isBefore(time)) {
                return s;
            }
        }
        return tail;
    }

    int retained() {
        return (int) (tail - head);
    }

    long backlog(String groupName) {
        Group g;
        appendLock.lock();
        try {
            g = groups.get(groupName);
        } finally {
            appendLock.unlock();
        }
        return g == null ? 0 : g.backlog();
    }
}
