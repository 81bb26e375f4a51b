package io.anymq.memcached;

import io.anymq.ConsumerOptions;
import io.anymq.InvalidNameException;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A member of a group. Memcached cannot block a reader, so a poll looks at the group, and when it found
 * nothing waits ({@link Backoff}: at once under load, up to the poll interval when idle) and looks again,
 * within the core's poll timeout. Any member takes any member's expired lease, so the ack timeout holds
 * in memcached even when the member that held it died ({@link #enforcesAckTimeout()}).
 *
 * <p>When the group's head is gone or went backwards, memcached lost the group's data (a restart, an
 * eviction, a flush): the member says so once with a {@link MessagesLostException} from the poll that
 * found out, creates the group again (from number 1 after a server restart, so that what was sent since
 * arrives; at the topic's end otherwise), and goes on.
 */
final class GroupConsumer implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);

    private final String topic;
    private final String group;
    private final GroupLog log;
    private final Settler settler;
    private final ServerWatch watch;
    private final Store store;
    private final Backoff backoff;
    private final long leaseMs;
    private final String tokenPrefix = Long.toHexString(UUID.randomUUID().getMostSignificantBits() >>> 16);
    private final AtomicLong tokens = new AtomicLong();
    private long generation;
    /** The cursors of the last look that found the group (to tell what a loss took). */
    private GroupLog.Cursors last;
    /** A loss found by a look that also took messages: told by the next poll. */
    private MessagesLostException pendingLoss;

    GroupConsumer(Store store, Keys keys, ConsumerOptions options, MemcachedSettings settings, ServerWatch watch) {
        this.topic = options.topic();
        this.group = options.group();
        if (keys.state(topic, group, Long.MAX_VALUE).length() > Keys.MAX_KEY) {
            throw new InvalidNameException("topic '" + topic + "' and group '" + group + "' are too long together for memcached's "
                    + Keys.MAX_KEY + "-byte keys (with the key prefix '" + keys.prefix() + "'): shorten one of them");
        }
        this.store = store;
        this.watch = watch;
        this.generation = watch.generation();
        this.leaseMs = Math.max(1, (options.ackTimeout() != null ? options.ackTimeout() : settings.ackWait()).toMillis());
        this.log = new GroupLog(store, keys, topic, group, settings.stateExpirySeconds(), settings.lostAfter().toMillis());
        this.settler = new Settler(store, log, settings.stateExpirySeconds());
        this.backoff = new Backoff(settings.pollInterval().toNanos());
        log.create(false);
        if (options.deadLetterTopic() != null && settings.deadLetterGroup() != null) {
            // without a group, a dead-letter topic would keep what the SDK sends there from nobody: keep it for a later reader
            new GroupLog(store, keys, options.deadLetterTopic(), settings.deadLetterGroup(), settings.stateExpirySeconds(), 0).create(false);
        }
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        if (pendingLoss != null) {
            MessagesLostException e = pendingLoss;
            pendingLoss = null;
            throw e;
        }
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), MAX_POLL_WAIT.toNanos());
        while (true) {
            long now = System.nanoTime();
            long wait = backoff.waitNanos(now);
            if (wait > 0) {
                if (now + wait > deadline) {
                    sleep(deadline - now);
                    return List.of();
                }
                sleep(wait);
            }
            List<DriverDelivery> got;
            try {
                got = look(max);
            } catch (ServerUnavailableException e) {
                // the client reconnects by itself: say so at most once per poll timeout, not in a tight loop
                sleep(deadline - System.nanoTime());
                throw e;
            }
            now = System.nanoTime();
            if (!got.isEmpty()) {
                backoff.found(now);
                return got;
            }
            if (lastLookPending) {
                // a number of this member waits for its sender's set (about one round trip): look again at once
                backoff.found(now);
            } else {
                backoff.foundNothing(now);
            }
            if (now >= deadline) {
                return List.of();
            }
        }
    }

    private static void sleep(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for memcached");
        }
    }

    /** Whether the last look left a fresh number of this member whose message is not stored yet. */
    private boolean lastLookPending;

    private List<DriverDelivery> look(int max) {
        lastLookPending = false;
        GroupLog.Look look = log.look(max, leaseMs, () -> tokenPrefix + "-" + Long.toHexString(tokens.incrementAndGet()));
        lastLookPending = look.pending();
        GroupLog.Cursors c = look.cursors();
        MessagesLostException loss = null;
        if (c.head() < 0 || (last != null && c.head() < last.head())) {
            loss = lost(c);
        } else {
            last = c;
        }
        if (!look.lost().isEmpty()) {
            LOG.warn("group '{}' of '{}': memcached no longer holds message(s) {} (expired, evicted, or never stored by a sender "
                    + "that died); they are skipped", group, topic, look.lost());
        }
        List<DriverDelivery> out = new ArrayList<>(look.taken().size());
        for (GroupLog.Taken t : look.taken()) {
            out.add(new Lease(t, this));
        }
        if (loss != null) {
            if (out.isEmpty()) {
                throw loss;
            }
            pendingLoss = loss;
        }
        return out;
    }

    /** The group's data is gone: recreate the group and say, once, what went with it. */
    private MessagesLostException lost(GroupLog.Cursors now) {
        long seen = watch.refresh();
        boolean restarted = seen != generation;
        generation = seen;
        log.forget();
        if (now.head() < 0) {
            log.create(restarted);
        }
        GroupLog.Cursors before = last;
        last = null;
        long unsettled = before == null ? 0 : Math.max(0, Math.max(before.tail(), before.head()) - before.low());
        String why = restarted ? "memcached restarted (it keeps nothing across a restart)" : "memcached no longer holds its cursors (evicted, expired or flushed)";
        String what = before == null ? "what it held is unknown to this member"
                : "of numbers " + (before.low() + 1) + " to " + Math.max(before.tail(), before.head()) + " of the old log, " + unsettled
                + " were not settled when this member last looked; those not settled since, and anything sent after that look and not "
                + "yet consumed, are lost";
        String next = now.head() < 0 ? (restarted ? "the group starts again at number 1 of the new log" : "the group starts again at the topic's end")
                : "another member already started the group again";
        String text = "group '" + group + "' of '" + topic + "': " + why + "; " + what + "; " + next;
        LOG.error(text);
        return new MessagesLostException(text, unsettled);
    }

    /** The most settlements one {@link #settle} call carries. */
    static final int SETTLE_BATCH = 256;

    /** A batch costs one multi-get for all the states plus a {@code cas} each, instead of a {@code gets} and a {@code cas} each. */
    @Override
    public int settlementBatch() {
        return SETTLE_BATCH;
    }

    @Override
    public CompletableFuture<List<Throwable>> settle(List<Settlement> batch) {
        List<Settler.Request> requests = new ArrayList<>(batch.size());
        for (Settlement s : batch) {
            Lease lease = (Lease) s.delivery();
            Settler.Outcome outcome = switch (s.kind()) {
                case ACK -> Settler.Outcome.ACK;
                case REJECT -> Settler.Outcome.REJECT;
                case NACK, RELEASE -> Settler.Outcome.GIVE_BACK;
            };
            requests.add(new Settler.Request(lease.taken(), outcome, s.delay()));
        }
        // off the polling thread: the poller goes on looking while a batch is under way, and the core gathers the
        // settlements that come meanwhile into the next batch (one multi-get and a cas each, for all of them)
        return store.settling(() -> settler.settleAll(requests));
    }

    @Override
    public boolean enforcesAckTimeout() {
        return true;
    }

    @Override
    public void close() {
        // the connection belongs to the client; leases the core released went back to the group
    }
}
