package io.anymq.nats;

import io.anymq.ConsumerOptions;
import io.anymq.ConnectionException;
import io.anymq.Message;
import io.anymq.spi.AbstractDriverDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.nats.client.Connection;
import io.nats.client.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A member of a queue group on the topic's subject: the members of a group compete, and every
 * group gets every message. At-most-once: nothing to acknowledge, nothing to give back.
 */
final class CoreNatsConsumerDriver implements ConsumerDriver {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final Subscription subscription;

    /**
     * Subscribes on the connection's control thread ({@link NatsControl}: jnats drops the SUB and the confirming PING of
     * an interrupted thread), and waits for it whatever the caller's interrupt flag says: the flush makes sure the
     * server knows the subscription before the consumer is handed out.
     */
    CoreNatsConsumerDriver(Connection connection, NatsControl control, ConsumerOptions options) {
        try {
            this.subscription = control.call(() -> {
                Subscription s = connection.subscribe(NatsNames.subject(options.topic()), options.group());
                try {
                    connection.flush(Duration.ofSeconds(10));
                } catch (TimeoutException | InterruptedException e) {
                    s.unsubscribe();
                    throw e;
                }
                return s;
            });
        } catch (TimeoutException | IllegalStateException e) {
            throw new ConnectionException("NATS did not confirm the subscription to '" + options.topic() + "': " + e, e);
        }
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        if (!subscription.isActive()) {
            return List.of();
        }
        io.nats.client.Message first = subscription.nextMessage(NatsClientDriver.nextMessageWait(timeout));
        if (first == null) {
            return List.of();
        }
        List<DriverDelivery> out = new ArrayList<>((int) Math.min(max, subscription.getPendingMessageCount() + 1));
        out.add(new CoreNatsMessage(NatsMessages.fromNats(first)));
        io.nats.client.Message more;
        try {
            while (out.size() < max && subscription.getPendingMessageCount() > 0
                    && (more = subscription.nextMessage(NatsClientDriver.ONE_MILLI)) != null) {
                out.add(new CoreNatsMessage(NatsMessages.fromNats(more)));
            }
        } catch (InterruptedException e) {
            // what was taken is returned (it is nowhere else any more); the next wait sees the interrupt
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public void close() {
        if (subscription.isActive()) {
            subscription.unsubscribe();
        }
    }

    /** A message core NATS delivered to this member: settling it has nothing to tell the server. */
    private static final class CoreNatsMessage extends AbstractDriverDelivery {
        CoreNatsMessage(Message message) {
            super(message, 1);
        }

        @Override
        public CompletableFuture<Void> ack() {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            return DONE; // never called: the core refuses nack without NACK_REDELIVERY
        }

        @Override
        public CompletableFuture<Void> reject() {
            return DONE; // never called: the core refuses reject without AT_LEAST_ONCE
        }

        @Override
        public CompletableFuture<Void> release() {
            return DONE; // at-most-once: a message held by a closing consumer is gone, as declared
        }
    }
}
