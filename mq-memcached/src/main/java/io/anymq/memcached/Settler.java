package io.anymq.memcached;

import io.anymq.ConnectionException;
import io.anymq.SettlementException;
import net.rubyeye.xmemcached.GetsResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settles leases: reads the number's state with {@code gets}, checks that it is still this lease (status
 * {@code L} with the lease's token), and changes it with {@code cas}. A lease that another member has
 * taken since (its ack timeout passed) is not touched: the settlement fails as
 * {@link SettlementException.Reason#EXPIRED}. A state that is gone went with the server's data.
 */
final class Settler {
    private static final int ATTEMPTS = 5;

    private final Store store;
    private final GroupLog log;
    private final int expiry;

    Settler(Store store, GroupLog log, int expiry) {
        this.store = store;
        this.log = log;
        this.expiry = expiry;
    }

    enum Outcome { ACK, REJECT, GIVE_BACK }

    /** Settles; while the client is reconnecting, tries again for up to the command timeout (each step is checked anew). */
    void settle(GroupLog.Taken lease, Outcome outcome, Duration delay) {
        store.retrying("settle " + log.stateKey(lease.number()), () -> {
            once(lease, outcome, delay);
            return null;
        });
    }

    /** One settlement of a batch. */
    record Request(GroupLog.Taken lease, Outcome outcome, Duration delay) {
    }

    /**
     * Settles a batch: one multi-get of all their states, then a {@code cas} each (a state that changed in
     * between is settled alone, checked anew). One entry per request: null when memcached has it, else why not.
     */
    List<Throwable> settleAll(List<Request> batch) {
        List<Throwable> out = new ArrayList<>(batch.size());
        Map<String, GetsResponse<byte[]>> states;
        try {
            List<String> keys = new ArrayList<>(batch.size());
            for (Request r : batch) {
                keys.add(log.stateKey(r.lease().number()));
            }
            states = store.retrying("gets states", () -> store.client().gets(keys, RawTranscoder.INSTANCE));
        } catch (RuntimeException e) {
            return java.util.Collections.nCopies(batch.size(), e);
        }
        // check each against the state read, then all the cas side by side (about one round trip for the batch)
        Throwable[] result = new Throwable[batch.size()];
        List<Integer> index = new ArrayList<>();
        List<Store.Call<Boolean>> cas = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Request r = batch.get(i);
            String key = log.stateKey(r.lease().number());
            GetsResponse<byte[]> read = states.get(key);
            try {
                byte[] next = next(r.lease(), r.outcome(), r.delay(), read);
                index.add(i);
                cas.add(() -> store.client().cas(key, expiry, next, RawTranscoder.INSTANCE, read.getCas()));
            } catch (RuntimeException e) {
                result[i] = e;
            }
        }
        List<Object> done = cas.isEmpty() ? List.of() : store.all(cas);
        for (int j = 0; j < done.size(); j++) {
            int i = index.get(j);
            if (!Boolean.TRUE.equals(done.get(j))) {
                // changed since it was read, or the connection failed: settle it alone, checked anew
                Request r = batch.get(i);
                try {
                    settle(r.lease(), r.outcome(), r.delay());
                } catch (RuntimeException e) {
                    result[i] = e;
                }
            }
        }
        for (Throwable t : result) {
            out.add(t);
        }
        return out;
    }

    private void once(GroupLog.Taken lease, Outcome outcome, Duration delay) {
        String key = log.stateKey(lease.number());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (apply(lease, outcome, delay, store.gets(key))) {
                return;
            }
        }
        throw new ConnectionException("could not settle message " + lease.message().id() + ": its state kept changing", null);
    }

    /** Changes the state read to the outcome if it is still this lease; false when it changed since it was read. */
    private boolean apply(GroupLog.Taken lease, Outcome outcome, Duration delay, GetsResponse<byte[]> r) {
        return store.cas(log.stateKey(lease.number()), expiry, next(lease, outcome, delay, r), r.getCas());
    }

    /** The state after the outcome, if the state read is still this lease; else why not. */
    private byte[] next(GroupLog.Taken lease, Outcome outcome, Duration delay, GetsResponse<byte[]> r) {
        LeaseState s = r == null ? null : LeaseState.parse(r.getValue());
        if (s == null) {
            throw new ConnectionException("memcached no longer holds the state of message " + lease.number() + " ("
                    + lease.message().id() + "): the server restarted or evicted it", null);
        }
        if (s.status() != 'L' || !lease.token().equals(s.token())) {
            throw new SettlementException(SettlementException.Reason.EXPIRED, "the lease on message " + lease.message().id()
                    + " ended (its ack timeout passed and the group has it again: " + s.status() + " " + s.count() + ")");
        }
        LeaseState next = switch (outcome) {
            case ACK -> LeaseState.done('A', s.count());
            case REJECT -> LeaseState.done('R', s.count());
            case GIVE_BACK -> LeaseState.waiting(s.count(), System.currentTimeMillis() + Math.max(0, delay.toMillis()));
        };
        return next.bytes();
    }
}
