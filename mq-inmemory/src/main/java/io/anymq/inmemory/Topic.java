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
 * <p>Messages leave the log when it needs room (more than {@code capacity} messages or {@code max-bytes} payload bytes)
 * and every group is past them. When none can leave, the topic is full: a send waits or fails, so memory stays bounded.
 */
final class Topic {
    private static final int INITIAL_RING = 1024;
    private static final long FULL_RECHECK_NANOS = 5_000_000L;

    final String name;
    private final InMemorySettings settings;
    private final int capacity;
    private final long maxBytes;
    /** The payload bytes of the retained messages; changed under the append lock only. */
    private long retainedBytes;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Condition notFull = appendLock.newCondition();
    private volatile int fullWaiters;
    /**
     * Replaced (never shrunk) under the append lock before the tail that needs it is published. Its length is a power
     * of two (at most the capacity's next one), so a sequence number's slot is a mask, not a 64-bit division: the take
     * path's slot lookup was one of {@code mem:}'s hottest lines.
     */
    private volatile Message[] ring;
    /** The ring's longest length: the capacity's next power of two. */
    private final int maxRing;
    /**
     * The payload size of each message in the ring, at the same index: eviction reads these instead of the messages
     * it drops (old objects, rarely in the CPU's cache). Only touched under the append lock.
     */
    private int[] sizes;
    /** The oldest retained sequence number. */
    private volatile long head;
    /** The next sequence number; everything below it is readable. */
    private volatile long tail;
    private final Map<String, Group> groups = new HashMap<>();
    /** The groups as an array, replaced when a group is added: the send path iterates it without allocating. */
    private volatile Group[] groupArray = new Group[0];
    /** Forgotten by its broker ({@code deleteTopic}): a producer that holds it looks the topic up again. */
    private volatile boolean deleted;

    Topic(String name, InMemorySettings settings) {
        this.name = name;
        this.settings = settings;
        this.capacity = settings.capacity();
        this.maxBytes = settings.maxBytes();
        this.maxRing = capacity <= 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1; // capacity <= 2^30 (InMemorySettings)
        this.ring = new Message[Math.min(INITIAL_RING, maxRing)];
        this.sizes = new int[ring.length];
    }

    long tail() {
        return tail;
    }

    /** Its broker forgot it: what is sent from now on goes to the topic of this name that the broker makes afresh. */
    void markDeleted() {
        deleted = true;
    }

    boolean isDeleted() {
        return deleted;
    }

    long head() {
        return head;
    }

    /** The message at a sequence number below the tail and at or above the head. */
    Message messageAt(long seq) {
        Message[] r = ring;
        return r[slot(seq, r.length)];
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
        Map<Topic, Long> bytes = new HashMap<>();
        for (int i = 0; i < topics.size(); i++) {
            counts.merge(topics.get(i), 1, Integer::sum);
            bytes.merge(topics.get(i), (long) messages.get(i).payloadSize(), Long::sum);
        }
        List<Topic> locked = new ArrayList<>(counts.size());
        long[] seqs = new long[messages.size()];
        try {
            for (Topic t : counts.keySet()) {
                t.appendLock.lock();
                locked.add(t);
            }
            for (Map.Entry<Topic, Integer> e : counts.entrySet()) {
                e.getKey().reserveRoom(e.getValue(), bytes.get(e.getKey()));
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

    /** Makes room for n more messages of these payload bytes now (growing, or dropping what every group is past), or fails without waiting. */
    private void reserveRoom(int n, long bytes) {
        if (n > capacity || bytes > maxBytes) {
            throw new BackpressureException("a transaction of " + n + " messages (" + bytes + " payload bytes) to topic '" + name
                    + "' is more than it can hold: " + bounds());
        }
        while (lacksRoom(n, bytes)) {
            long floor = minFloor();
            if (head >= floor) {
                throw new BackpressureException("topic '" + name + "' has no room for a transaction's " + n + " messages: " + held()
                        + " retained and not yet acked by every group (" + bounds() + ")");
            }
            evictUpTo(floor, n, bytes);
        }
        while (tail - head + n > ring.length) {
            grow();
        }
    }

    private long store(Message m) {
        int size = m.payloadSize();
        makeRoom(size);
        long seq = tail;
        Message[] r = ring;
        int i = slot(seq, r.length);
        r[i] = m;
        sizes[i] = size;
        retainedBytes += size;
        tail = seq + 1; // publishes the slot
        return seq;
    }

    /** Whether n more messages of these payload bytes would take the topic over its capacity or its max-bytes. */
    private boolean lacksRoom(int n, long bytes) {
        return tail - head + n > capacity || retainedBytes + bytes > maxBytes && tail > head;
    }

    private String held() {
        return (tail - head) + " messages of " + retainedBytes + " payload bytes";
    }

    private String bounds() {
        return "capacity " + capacity + " messages, max-bytes " + maxBytes;
    }

    /**
     * Makes room for one more message of this payload size: grows the ring, drops what every group is past, or waits
     * (or fails). The ring is checked again after every wait: other producers appended while the lock was released,
     * and a wait for bytes can end with the ring as full as its length (below the capacity) without this thread
     * having dropped anything.
     */
    private void makeRoom(int size) {
        long deadline = 0;
        while (true) {
            if (tail - head >= ring.length && ring.length < maxRing) {
                grow();
            }
            if (!lacksRoom(1, size)) {
                return;
            }
            long floor = minFloor();
            if (head < floor) {
                evictUpTo(floor, 1, size);
                continue;
            }
            if (!settings.blockWhenFull()) {
                throw new BackpressureException("topic '" + name + "' is full: " + held()
                        + " retained and not yet acked by every group (" + bounds() + "; option when-full=fail)");
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + settings.blockTimeout().toNanos();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new BackpressureException("topic '" + name + "' stayed full (" + held() + " not yet acked by every group; "
                        + bounds() + ") for " + settings.blockTimeout());
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
     * Drops a chunk of old messages below the floor, to make room for n more of these payload bytes: a sixteenth
     * of the capacity when the count is the bound, enough to leave a sixteenth of max-bytes free (or the bytes
     * asked for, if more) when the bytes are. So the floor is looked up rarely and at least 15/16 of either
     * bound stays retained for replay. Drops at least one message whenever {@link #lacksRoom} and the floor allow.
     */
    private void evictUpTo(long floor, int n, long bytes) {
        Message[] r = ring;
        long s = head;
        long countEnd = tail - s + n > capacity ? s + Math.max(1, capacity / 16) : s;
        long bytesGoal = maxBytes - Math.max(bytes, maxBytes / 16);
        long kept = retainedBytes;
        int[] sz = sizes;
        while (s < floor && (s < countEnd || kept > bytesGoal)) {
            int i = slot(s, r.length);
            kept -= sz[i];
            r[i] = null;
            s++;
        }
        retainedBytes = kept;
        head = s;
    }

    private void grow() {
        Message[] old = ring;
        int newLength = (int) Math.min(maxRing, 2L * old.length);
        Message[] bigger = new Message[newLength];
        int[] biggerSizes = new int[newLength];
        for (long s = head; s < tail; s++) {
            bigger[slot(s, newLength)] = old[slot(s, old.length)];
            biggerSizes[slot(s, newLength)] = sizes[slot(s, old.length)];
        }
        sizes = biggerSizes;
        ring = bigger;
    }

    /** A sequence number's place in a ring of this length (a power of two). */
    private static int slot(long seq, int ringLength) {
        return (int) seq & (ringLength - 1);
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

    long retainedBytes() {
        appendLock.lock();
        try {
            return retainedBytes;
        } finally {
            appendLock.unlock();
        }
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
