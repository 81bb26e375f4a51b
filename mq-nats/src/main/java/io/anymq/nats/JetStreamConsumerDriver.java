package io.anymq.nats;

import io.anymq.Message;
import io.anymq.spi.AbstractDriverDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.nats.client.JetStreamSubscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A member of a group: pulls from the group's durable consumer. Pull requests ask for up to the
 * consumer's in-flight bound and expire after a second; a new one is sent when less than half of
 * that is still to come, so the pipe stays full without a round trip per message. The server
 * enforces the ack timeout (AckWait) and counts deliveries.
 */
final class JetStreamConsumerDriver implements ConsumerDriver {
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
    /** When the open pull request expires, and how many messages it may still bring. */
    private long pullOpenUntil;
    private int pullRemaining;

    private final int prefetch;

    private final String topic;

    JetStreamConsumerDriver(String topic, JetStreamSubscription subscription, int prefetch) {
        this.topic = topic;
        this.subscription = subscription;
        this.prefetch = Math.max(1, prefetch);
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>();
        if (!subscription.isActive()) {
            return out;
        }
        io.nats.client.Message first = subscription.getPendingMessageCount() > 0 ? subscription.nextMessage(Duration.ofMillis(1)) : null;
        if (first == null || !first.isJetStream()) {
            long now = System.nanoTime();
            requestMore(now);
            long wait = Math.min(timeout.toNanos(), pullOpenUntil - now);
            first = subscription.nextMessage(NatsClientDriver.nextMessageWait(Duration.ofNanos(Math.max(0, wait))));
        }
        if (first == null || !first.isJetStream()) {
            return out;
        }
        out.add(new JetStreamDelivery(topic, first));
        io.nats.client.Message more;
        while (out.size() < max && subscription.getPendingMessageCount() > 0
                && (more = subscription.nextMessage(Duration.ofMillis(1))) != null) {
            if (more.isJetStream()) {
                out.add(new JetStreamDelivery(topic, more));
            }
        }
        pullRemaining -= out.size();
        requestMore(System.nanoTime());
        return out;
    }

    /** Sends a pull request when the open ones expired or will bring less than half the prefetch. */
    private void requestMore(long now) {
        if (now >= pullOpenUntil) {
            pullRemaining = 0; // every request sent before has expired
        }
        if (pullRemaining <= prefetch / 2) {
            subscription.pullExpiresIn(prefetch, Duration.ofNanos(PULL_EXPIRY_NANOS));
            pullRemaining += prefetch;
            pullOpenUntil = now + PULL_EXPIRY_NANOS;
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
        if (!subscription.isActive()) {
            return;
        }
        try {
            long end = pullOpenUntil + CLOSE_MARGIN.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                io.nats.client.Message m;
                if (subscription.getPendingMessageCount() > 0) {
                    m = subscription.nextMessage(Duration.ofMillis(1));
                } else if (pullRemaining > 0 && left > 0) {
                    // null: the wait ended, or a request ended early (its 408 status); look again until the end
                    m = subscription.nextMessage(NatsClientDriver.nextMessageWait(Duration.ofNanos(left)));
                } else {
                    break;
                }
                if (m != null && m.isJetStream()) {
                    m.nakWithDelay(RELEASE_DELAY);
                    pullRemaining--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException closedMeanwhile) {
            // the connection went away: the server redelivers after AckWait
        }
        subscription.unsubscribe();
    }

    /** One JetStream delivery: ack is Ack, nack(delay) is NakWithDelay, reject is Term, release is a Nak after {@link #RELEASE_DELAY}. */
    private static final class JetStreamDelivery extends AbstractDriverDelivery {
        private final io.nats.client.Message nats;

        JetStreamDelivery(String topic, io.nats.client.Message nats) {
            super(NatsMessages.fromNats(nats, NatsMessages.positionId(topic, nats.metaData().streamSequence())),
                    (int) nats.metaData().deliveredCount());
            this.nats = nats;
        }

        @Override
        public CompletableFuture<Void> ack() {
            nats.ack();
            return DONE;
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (delay.isZero()) {
                nats.nak();
            } else {
                nats.nakWithDelay(delay);
            }
            return DONE;
        }

        @Override
        public CompletableFuture<Void> reject() {
            nats.term();
            return DONE;
        }

        @Override
        public CompletableFuture<Void> release() {
            nats.nakWithDelay(RELEASE_DELAY);
            return DONE;
        }
    }
}
