package io.anymq.nats;

import io.anymq.ConnectionException;
import io.anymq.SettlementException;
import io.anymq.spi.AbstractDriverDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReadAhead;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullRequestOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A member of a group: pulls from the group's durable consumer. Pull requests ask for up to the
 * consumer's in-flight bound, and for no more bytes than the member's share of the client's
 * {@link PullBudget} (as many messages as that holds at the largest size seen lately), and expire
 * after a second; a new one is sent when less than half of one request is still to come or waiting
 * here, so the pipe stays full without a round trip per message. The server enforces the ack timeout
 * (AckWait) and counts deliveries.
 *
 * <p>The server settles by stream sequence: an ack sent for an older delivery of a message settles
 * whichever delivery of it is pending now, even another member's. So a delivery refuses to settle once
 * its AckWait may have passed on the server: each poll moves every message jnats received into this
 * driver's own buffer, and a message's AckWait is counted from the last moment the buffer was seen
 * empty before it came (it cannot have been sent earlier than that), which is never later than the server's.
 */
final class JetStreamConsumerDriver implements ConsumerDriver {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JetStreamConsumerDriver.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final long PULL_EXPIRY_NANOS = Duration.ofSeconds(1).toNanos();
    /**
     * How long a message given back (consumer closing) waits before redelivery: longer than a pull
     * request lives, so the server cannot hand it straight back to a pull this member left open.
     */
    static final Duration RELEASE_DELAY = Duration.ofNanos(PULL_EXPIRY_NANOS).plusMillis(250);
    /**
     * How long after its newest pull request expired (by this client's clock) a closing member still
     * waits for messages the server sent just before: the request's one-way trip to the server, and
     * the last messages' trip back.
     */
    static final Duration CLOSE_MARGIN = Duration.ofMillis(250);
    private final JetStreamSubscription subscription;
    /** The pull requests open, and what each may still bring. */
    private final OpenPulls pulls = new OpenPulls();
    private final PullBudget budget;
    /** The largest message seen lately, in the bytes the server counts ({@code consumeByteCount}); 0 before the first. */
    private long largest;
    /** Whether this member gave its share of the budget back (close). */
    private boolean budgetLeft;

    private final int prefetch;

    private final String topic;
    /** The consumer's AckWait, less a margin for the settlement's way to the server. */
    private final long settleWithinNanos;
    /** Messages jnats received, stamped, not handed out yet; only the polling thread touches it. */
    private final ReadAhead<JetStreamDelivery> buffer = new ReadAhead<>();
    /** The last time (nanoTime) jnats' queue was seen empty: whatever is in it now came later. */
    private long emptyAt = System.nanoTime();

    JetStreamConsumerDriver(String topic, JetStreamSubscription subscription, int prefetch, Duration ackWait, PullBudget budget) {
        this.topic = topic;
        this.subscription = subscription;
        this.prefetch = Math.max(1, prefetch);
        this.budget = budget;
        budget.join();
        long wait = ackWait.toNanos();
        this.settleWithinNanos = wait - Math.min(wait / 20, Duration.ofMillis(100).toNanos());
    }

    @Override
    public void limitReadAhead(int most) {
        buffer.limit(most);
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        if (!subscription.isActive()) {
            return List.of();
        }
        drainReceived();
        if (buffer.isEmpty()) {
            long now = System.nanoTime();
            requestMore(now);
            long wait = Math.min(timeout.toNanos(), pulls.lastExpiry(now) - now);
            long before = emptyAt;
            io.nats.client.Message first = subscription.nextMessage(NatsClientDriver.nextMessageWait(Duration.ofNanos(Math.max(0, wait))));
            if (first != null && first.isJetStream()) {
                buffer.add(new JetStreamDelivery(topic, first, before + settleWithinNanos));
                counted(first, System.nanoTime());
            }
            drainReceived();
        }
        List<DriverDelivery> out = buffer.drain(max);
        long now = System.nanoTime();
        // one that waited here past its AckWait is stale: the server redelivers it (maybe to another member)
        out.removeIf(d -> {
            boolean stale = ((JetStreamDelivery) d).settleBy - now <= 0;
            if (stale) {
                LOG.debug("message {} of '{}' waited in the prefetch buffer past its AckWait; the server redelivers it", d.message().id(), topic);
            }
            return stale;
        });
        requestMore(System.nanoTime());
        return out;
    }

    /**
     * The durable consumer's {@code num_pending} (one {@code CONSUMER.INFO} request): messages of the stream for
     * this group not delivered yet. Messages delivered and not acked, also nacked ones waiting for their
     * redelivery, are the server's {@code num_ack_pending} and not counted.
     */
    @Override
    public OptionalLong lag() {
        try {
            return OptionalLong.of(subscription.getConsumerInfo().getNumPending());
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new ConnectionException("NATS did not say the lag of the group on '" + topic + "': " + e.getMessage(), e);
        }
    }

    /**
     * Moves every message jnats received into the buffer, stamped with the last time its queue was seen
     * empty (each came later, so the server sent it no earlier than that).
     */
    private void drainReceived() throws InterruptedException {
        long since = emptyAt;
        while (true) {
            long t = System.nanoTime();
            if (subscription.getPendingMessageCount() == 0) {
                emptyAt = t;
                return;
            }
            io.nats.client.Message m = subscription.nextMessage(NatsClientDriver.ONE_MILLI);
            if (m == null) {
                emptyAt = t;
                return;
            }
            if (m.isJetStream()) {
                buffer.add(new JetStreamDelivery(topic, m, since + settleWithinNanos));
                counted(m, t);
            }
        }
    }

    /** Counts a message that came (by {@code now}, nanoTime) against the open requests, and its size. */
    private void counted(io.nats.client.Message m, long now) {
        long bytes = Math.max(0, m.consumeByteCount());
        largest = OpenPulls.largest(largest, bytes);
        pulls.received(bytes, largest, now);
    }

    /**
     * Sends a pull request when what the open ones may still bring, with what waits here, is less than half of
     * one request: as many messages as the member's bytes hold at the largest size seen, and those bytes at most.
     */
    private void requestMore(long now) {
        pulls.expire(now);
        long bytes = budget.memberBytes();
        int batch = OpenPulls.batch(buffer.fetchSize(1, prefetch), bytes, largest);
        if (pulls.messages() + buffer.size() <= batch / 2) {
            subscription.pull(PullRequestOptions.builder(batch).maxBytes(bytes).expiresIn(Duration.ofNanos(PULL_EXPIRY_NANOS)).build());
            pulls.sent(batch, bytes, now + PULL_EXPIRY_NANOS);
        }
    }

    @Override
    public boolean enforcesAckTimeout() {
        return true;
    }

    /**
     * Gives back everything this member pulled and did not hand out, then unsubscribes. A pull request
     * still open would otherwise deliver to an inbox nobody listens to any more: the server counts
     * such a message as delivered and gives it to the group again only after AckWait. So close first
     * lets the open requests end, Nak-ing (after {@link #RELEASE_DELAY}) whatever is buffered or still
     * arrives, until every requested message came or the newest request has expired (it lives
     * {@code PULL_EXPIRY}, one second, and the server sends nothing for it afterwards) plus
     * {@link #CLOSE_MARGIN} for what is on the wire. Close therefore takes at most about 1.25 s, and
     * returns at once when no pull request is open (the member was not receiving for a second).
     */
    @Override
    public void close() {
        if (!budgetLeft) {
            budgetLeft = true;
            budget.leave();
        }
        if (!subscription.isActive()) {
            return;
        }
        try {
            drainReceived();
            buffer.takeAll(JetStreamDelivery::release); // a stale one (past its AckWait) is left to the server
            long start = System.nanoTime();
            pulls.expire(start - CLOSE_MARGIN.toNanos()); // what the server may still send for: requests that expired within the margin
            long end = pulls.lastExpiry(start) + CLOSE_MARGIN.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                io.nats.client.Message m;
                if (subscription.getPendingMessageCount() > 0) {
                    m = subscription.nextMessage(NatsClientDriver.ONE_MILLI);
                } else if (pulls.messages() > 0 && left > 0) {
                    // null: the wait ended, or a request ended early (its 408 status); look again until the end
                    m = subscription.nextMessage(NatsClientDriver.nextMessageWait(Duration.ofNanos(left)));
                } else {
                    break;
                }
                if (m != null && m.isJetStream()) {
                    Unflagged.settle(() -> m.nakWithDelay(RELEASE_DELAY)); // arrived during the close: fresh, given back at once
                    counted(m, System.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException closedMeanwhile) {
            // the connection went away: the server redelivers after AckWait
        }
        subscription.unsubscribe();
    }

    /**
     * One JetStream delivery: ack is Ack, nack(delay) is NakWithDelay, reject is Term, release is a Nak
     * after {@link #RELEASE_DELAY}; each only before its AckWait may have passed on the server (see the class).
     */
    private static final class JetStreamDelivery extends AbstractDriverDelivery {
        private final io.nats.client.Message nats;
        /** The last moment (nanoTime) at which a settlement surely reaches the server before its AckWait passes. */
        final long settleBy;

        JetStreamDelivery(String topic, io.nats.client.Message nats, long settleBy) {
            super(NatsMessages.fromNats(nats, NatsMessages.positionId(topic, nats.metaData().streamSequence())),
                    (int) nats.metaData().deliveredCount());
            this.nats = nats;
            this.settleBy = settleBy;
        }

        /** Whether the server may have redelivered it: then an ack, nak or term would settle that newer delivery. */
        private boolean movedOn() {
            return System.nanoTime() - settleBy >= 0;
        }

        private CompletableFuture<Void> refused() {
            return CompletableFuture.failedFuture(new SettlementException(SettlementException.Reason.EXPIRED,
                    "the AckWait of message " + message().id() + " passed (the server redelivers it, maybe to another member): "
                            + "this settlement was not sent, as the server would apply it to the newer delivery"));
        }

        @Override
        public CompletableFuture<Void> ack() {
            if (movedOn()) {
                return refused();
            }
            Unflagged.settle(nats::ack);
            return DONE;
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (movedOn()) {
                return refused();
            }
            if (delay.isZero()) {
                Unflagged.settle(nats::nak);
            } else {
                Unflagged.settle(() -> nats.nakWithDelay(delay));
            }
            return DONE;
        }

        @Override
        public CompletableFuture<Void> reject() {
            if (movedOn()) {
                return refused();
            }
            Unflagged.settle(nats::term);
            return DONE;
        }

        /** Past its AckWait the server redelivers it anyway: nothing to give back (a Nak would delay the newer delivery). */
        @Override
        public CompletableFuture<Void> release() {
            if (!movedOn()) {
                Unflagged.settle(() -> nats.nakWithDelay(RELEASE_DELAY));
            }
            return DONE;
        }
    }
}
