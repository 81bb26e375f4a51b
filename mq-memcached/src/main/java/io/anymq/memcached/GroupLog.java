package io.anymq.memcached;

import io.anymq.EnvelopeFormatException;
import io.anymq.Message;
import io.anymq.spi.EnvelopeCodec;
import io.anymq.spi.PositionIds;
import net.rubyeye.xmemcached.GetsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group of one topic in memcached: its cursors ({@code head}, {@code low}) and the states of its
 * numbers. {@link #look} is one look at the group: take fresh numbers with {@code incr} on the head,
 * find numbers that are free again (nacked and due, lease expired, delayed and due) between the low
 * mark and the head, take each with {@code add} or {@code cas} on its state (so each goes to exactly
 * one member), and move the low mark past what is settled.
 */
final class GroupLog {
    private static final Logger LOG = LoggerFactory.getLogger(GroupLog.class);
    /** The most numbers above the low mark one look examines for redelivery. */
    static final int SCAN_WINDOW = 512;
    /**
     * How long a number below the head may have no state before any member takes it: the member whose
     * {@code incr} got it takes it at once; only when that member died in between do others step in.
     */
    static final long CLAIM_GRACE_MS = 1000;
    /**
     * While fresh numbers fill a look, the window above the low mark is examined at most this often (it is
     * what finds nacked, expired and delayed numbers, and moves the low mark); a look with room left always examines it.
     */
    static final long SCAN_EVERY_MS = 50;
    /**
     * How long this member's own fresh number may lack its message item (its sender's {@code incr} landed, its
     * {@code set} not yet: usually one round trip) before the number is marked {@code W} in memcached. Until then
     * the number stays this member's, nothing is written, and the member looks again at once instead of backing off.
     */
    static final long PENDING_MS = 20;

    /** What one look found: the leases taken, and the cursors it saw (null when the group's head is gone). */
    record Look(List<Taken> taken, Cursors cursors, List<Long> lost, boolean pending) {
        Look(List<Taken> taken, Cursors cursors, List<Long> lost) {
            this(taken, cursors, lost, false);
        }
    }

    /** The topic's tail and the group's head and low mark as read (-1: absent). */
    record Cursors(long tail, long head, long low) {
    }

    /** A number this member now holds: its count (this delivery's), the lease token and the message. */
    record Taken(long number, int count, String token, Message message) {
    }

    private final Store store;
    private final Keys keys;
    private final String topic;
    private final String group;
    private final int expiry;
    private final long lostAfterMs;
    private final String tailKey;
    private final String headKey;
    private final String lowKey;
    /** Numbers this member got from its own {@code incr} on the head and has not tried to take yet (beyond the tail then). */
    private final java.util.NavigableSet<Long> mine = new java.util.TreeSet<>();
    /** When this member first saw a number below the head without a state (ms). */
    private final java.util.NavigableMap<Long, Long> absentSince = new java.util.TreeMap<>();
    private long lastScanMs;

    GroupLog(Store store, Keys keys, String topic, String group, int expiry, long lostAfterMs) {
        this.store = store;
        this.keys = keys;
        this.topic = topic;
        this.group = group;
        this.expiry = expiry;
        this.lostAfterMs = lostAfterMs;
        this.tailKey = keys.tail(topic);
        this.headKey = keys.head(topic, group);
        this.lowKey = keys.low(topic, group);
    }

    String stateKey(long n) {
        return keys.state(topic, group, n);
    }

    /**
     * Creates the group if it does not exist, starting after the topic's last number ({@code fromStart}: at
     * number 1, for a log that restarted). Atomic with {@code add}: the first member creates, the others find it.
     */
    void create(boolean fromStart) {
        long start = fromStart ? 0 : Math.max(0, Store.counter(store.get(tailKey)));
        byte[] value = Store.ascii(start);
        store.add(lowKey, 0, value);
        store.add(headKey, 0, value);
    }

    /** Forgets what this member knew of the numbers: the log it knew is gone (a restart, an eviction). */
    void forget() {
        mine.clear();
        absentSince.clear();
        lastScanMs = 0;
    }

    Cursors cursors(Map<String, GetsResponse<byte[]>> read) {
        return new Cursors(counter(read.get(tailKey)), counter(read.get(headKey)), counter(read.get(lowKey)));
    }

    private static long counter(GetsResponse<byte[]> r) {
        return r == null ? -1 : Store.counter(r.getValue());
    }

    /** One look: up to {@code max} leases of {@code leaseMs} each, named by tokens from {@code tokens}. */
    Look look(int max, long leaseMs, java.util.function.Supplier<String> tokens) {
        Map<String, GetsResponse<byte[]>> read = store.gets(List.of(tailKey, headKey, lowKey));
        Cursors c = cursors(read);
        if (c.head() < 0) {
            return new Look(List.of(), c, List.of());
        }
        long tail = Math.max(0, c.tail());
        long low = c.low();
        if (low < 0) {
            // the low mark went missing (evicted) while the head stayed: start it again at the head
            store.add(lowKey, 0, Store.ascii(c.head()));
            low = c.head();
        }
        long head = c.head();
        List<Long> candidates = new ArrayList<>();
        long scanTo = Math.min(Math.min(head, tail), low + SCAN_WINDOW);
        long started = System.currentTimeMillis();
        if (tail - head >= max && started - lastScanMs < SCAN_EVERY_MS) {
            scanTo = low; // fresh numbers fill this look: the window waits for a later one
        } else {
            lastScanMs = started;
        }
        for (long n = low + 1; n <= scanTo; n++) {
            candidates.add(n);
        }
        if (head < tail && max > 0) {
            long k = Math.min(max, tail - head);
            long last = store.incr(headKey, k, 0);
            for (long n = last - k + 1; n <= last; n++) {
                mine.add(n);
            }
            for (long n = Math.max(last - k + 1, scanTo + 1); n <= Math.min(last, tail); n++) {
                candidates.add(n);
            }
        }
        if (tail > scanTo) {
            for (long n : mine.subSet(scanTo + 1, true, tail, true)) {
                if (!candidates.contains(n)) {
                    candidates.add(n);
                }
            }
        }
        mine.headSet(low, true).clear();
        absentSince.headMap(low, true).clear();
        List<Taken> taken = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        if (candidates.isEmpty()) {
            return new Look(taken, c, lost);
        }
        Map<Long, String> stateKeys = new TreeMap<>();
        List<String> read1 = new ArrayList<>(candidates.size() * 2);
        for (long n : candidates) {
            String k = stateKey(n);
            stateKeys.put(n, k);
            read1.add(k);
        }
        // this member's fresh numbers are almost always taken: their messages come in the same multi-get as the states
        java.util.Set<String> prefetched = new java.util.HashSet<>();
        for (long n : candidates) {
            if (mine.contains(n)) {
                String k = keys.message(topic, n);
                prefetched.add(k);
                read1.add(k);
            }
        }
        Map<String, GetsResponse<byte[]>> states = store.gets(read1);
        long now = System.currentTimeMillis();
        // what may be taken now: no state yet (fresh, or a number whose taker never came), waiting and due, lease expired
        List<Long> want = new ArrayList<>();
        for (long n : candidates) {
            GetsResponse<byte[]> r = states.get(stateKeys.get(n));
            LeaseState s = r == null ? null : LeaseState.parse(r.getValue());
            if (r != null && s == null) {
                continue; // not a state this module wrote: leave it alone
            }
            if (s == null) {
                boolean own = mine.contains(n);
                long since = absentSince.computeIfAbsent(n, x -> now);
                if (own || now - since >= CLAIM_GRACE_MS) {
                    want.add(n);
                }
            } else {
                absentSince.remove(n);
                mine.remove(n);
                if (s.takeable(now) || s.status() == 'W') {
                    want.add(n);
                }
            }
            if (want.size() >= Math.max(1, max) + 16) {
                break;
            }
        }
        Map<String, byte[]> messages = new HashMap<>();
        List<String> toRead = new ArrayList<>();
        for (long n : want) {
            String k = keys.message(topic, n);
            if (prefetched.contains(k)) {
                GetsResponse<byte[]> m = states.get(k);
                if (m != null) {
                    messages.put(k, m.getValue());
                }
            } else {
                toRead.add(k);
            }
        }
        if (!toRead.isEmpty()) {
            messages.putAll(store.get(toRead));
        }
        boolean pending = false;
        Map<Long, LeaseState> settledNow = new HashMap<>();
        List<Taken> attempts = new ArrayList<>();
        List<Store.Call<Boolean>> takes = new ArrayList<>();
        for (long n : want) {
            if (attempts.size() >= max) {
                break;
            }
            String key = stateKeys.get(n);
            GetsResponse<byte[]> r = states.get(key);
            LeaseState s = r == null ? null : LeaseState.parse(r.getValue());
            byte[] value = messages.get(keys.message(topic, n));
            if (value == null && s == null && mine.contains(n) && now - absentSince.getOrDefault(n, now) < PENDING_MS) {
                // its sender's set is under way: it stays this member's, and the next look comes at once
                pending = true;
                continue;
            }
            mine.remove(n); // tried now: whatever happens, the state decides from here on
            if (value == null) {
                missing(n, key, r, s, now, lost, settledNow);
                continue;
            }
            if (value.length == 0) {
                // the sender's set failed and it left an empty marker: its send reported the failure
                change(key, r, LeaseState.done('F', s == null ? 0 : s.count()), settledNow, n);
                continue;
            }
            Message message;
            try {
                message = decode(n, value);
            } catch (EnvelopeFormatException e) {
                LOG.warn("message {} of '{}' starts like an anymq envelope but does not decode; group '{}' skips it: {}", n, topic, group,
                        e.getMessage());
                change(key, r, LeaseState.done('X', s == null ? 0 : s.count()), settledNow, n);
                continue;
            }
            int count = s == null || s.status() == 'W' ? 0 : s.count();
            Instant deliverAt = message.deliverAt();
            if (deliverAt != null && count == 0 && deliverAt.toEpochMilli() > now && (s == null || s.status() != 'N')) {
                // delayed: the number waits in the group until it is due
                change(key, r, LeaseState.waiting(0, deliverAt.toEpochMilli()), null, n);
                continue;
            }
            if (s != null && s.status() == 'N' && s.time() > now) {
                continue;
            }
            String token = tokens.get();
            byte[] lease = LeaseState.leased(count + 1, now + leaseMs, token).bytes();
            attempts.add(new Taken(n, count + 1, token, message));
            takes.add(r == null ? () -> store.client().add(key, expiry, lease, RawTranscoder.INSTANCE)
                    : () -> store.client().cas(key, expiry, lease, RawTranscoder.INSTANCE, r.getCas()));
        }
        // the takes are independent: side by side they cost about one round trip, not one each
        List<Object> results = takes.isEmpty() ? List.of() : store.all(takes);
        RuntimeException failure = null;
        for (int i = 0; i < results.size(); i++) {
            Object result = results.get(i);
            if (result instanceof io.anymq.MessagingInterruptedException) {
                result = leasedToMe(stateKeys.get(attempts.get(i).number()), attempts.get(i).token());
            }
            if (Boolean.TRUE.equals(result)) {
                taken.add(attempts.get(i));
            } else if (result instanceof RuntimeException e && failure == null) {
                failure = e;
            }
        }
        if (taken.isEmpty() && failure != null) {
            throw failure;
        }
        try {
            advanceLow(read.get(lowKey), low, scanTo, states, stateKeys, settledNow);
        } catch (io.anymq.MessagingException e) {
            if (taken.isEmpty()) {
                throw e;
            }
            // what was taken is this member's now, and is returned; a later look moves the low mark
            LOG.debug("group '{}' of '{}': the low mark stays where it was this time: {}", group, topic, e.getMessage());
        }
        return new Look(taken, c, lost, pending);
    }

    /**
     * Whether a take whose answer an interrupt cut off was carried out: memcached carries a command out whoever waits
     * for it, and a lease taken but not known here would keep its message from everyone until it ends (the ack wait).
     * The state is read back, however often the thread is interrupted meanwhile (the flag is set again after): the
     * lease is this attempt's when it holds the attempt's token. A failed read is the read's failure.
     */
    private Object leasedToMe(String key, String token) {
        boolean interrupted = false;
        try {
            while (true) {
                interrupted |= Thread.interrupted();
                try {
                    GetsResponse<byte[]> r = store.gets(key);
                    LeaseState s = r == null ? null : LeaseState.parse(r.getValue());
                    return s != null && s.status() == 'L' && token.equals(s.token());
                } catch (io.anymq.MessagingInterruptedException again) {
                    interrupted = true;
                } catch (RuntimeException e) {
                    return e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The message item of a number is not there: a send under way, or gone. */
    private void missing(long n, String key, GetsResponse<byte[]> r, LeaseState s, long now, List<Long> lost,
                         Map<Long, LeaseState> settledNow) {
        if (s == null) {
            // lost-after counts from when this member first saw the number without its message (it may have waited as its own)
            store.add(key, expiry, LeaseState.missing(0, Math.min(now, absentSince.getOrDefault(n, now))).bytes());
        } else if (s.status() != 'W' || now - s.time() > lostAfterMs) {
            // was there and vanished (expiry, eviction), or never came within lost-after
            if (change(key, r, LeaseState.done('X', s.count()), settledNow, n)) {
                lost.add(n);
            }
        }
    }

    /** Changes a state from what was read ({@code add} if nothing, else {@code cas}); false when another member was first. */
    private boolean change(String key, GetsResponse<byte[]> r, LeaseState next, Map<Long, LeaseState> settledNow, long n) {
        boolean done = r == null ? store.add(key, expiry, next.bytes()) : store.cas(key, expiry, next.bytes(), r.getCas());
        if (done && settledNow != null) {
            settledNow.put(n, next);
        }
        return done;
    }

    private Message decode(long n, byte[] value) {
        if (!EnvelopeCodec.looksLikeEnvelope(value)) {
            // a value a native client stored: its bytes are the payload
            return io.anymq.spi.Payloads.adopt(Message.builder(), value).id(PositionIds.of(topic, Long.toString(n))).build();
        }
        Message m = EnvelopeCodec.decode(value);
        return m.id() == null ? m.toBuilder().id(PositionIds.of(topic, Long.toString(n))).build() : m;
    }

    /** Moves the low mark past the numbers above it that are settled for good. */
    private void advanceLow(GetsResponse<byte[]> lowRead, long low, long scanTo, Map<String, GetsResponse<byte[]>> states,
                            Map<Long, String> stateKeys, Map<Long, LeaseState> settledNow) {
        if (lowRead == null) {
            return;
        }
        long newLow = low;
        for (long n = low + 1; n <= scanTo; n++) {
            LeaseState s = settledNow.get(n);
            if (s == null) {
                GetsResponse<byte[]> r = states.get(stateKeys.get(n));
                s = r == null ? null : LeaseState.parse(r.getValue());
            }
            if (s == null || !s.settled()) {
                break;
            }
            newLow = n;
        }
        if (newLow > low) {
            // not waited for: a cas that loses (another member moved it) or comes late only leaves a wider window to the next look
            long cas = lowRead.getCas();
            byte[] value = Store.ascii(newLow);
            store.later("cas " + lowKey, () -> store.client().cas(lowKey, 0, value, RawTranscoder.INSTANCE, cas));
        }
    }
}
