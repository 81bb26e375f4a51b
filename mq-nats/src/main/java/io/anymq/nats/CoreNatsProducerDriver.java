package io.anymq.nats;

import io.anymq.ConnectionException;
import io.anymq.Message;
import io.anymq.MessagingInterruptedException;
import io.anymq.MessagingTimeoutException;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Core NATS publish: at-most-once. The send completes once jnats took the message into its
 * outgoing buffer; {@link #flush()} waits for the server to have read everything sent so far.
 * With {@code send-generated-ids=false} the id and send time the SDK generated for a message stay
 * here (its receipt has them): the message travels as the payload and what the sender gave.
 */
final class CoreNatsProducerDriver implements ProducerDriver {
    private final Connection connection;
    private final NatsControl control;
    private final String topic;
    private final String subject;
    private final boolean sendGeneratedIds;

    CoreNatsProducerDriver(Connection connection, NatsControl control, String topic, boolean sendGeneratedIds) {
        this.connection = connection;
        this.control = control;
        this.topic = topic;
        this.subject = NatsNames.subject(topic);
        this.sendGeneratedIds = sendGeneratedIds;
    }

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        // jnats drops what an interrupted thread publishes (see Unflagged): the publish runs without the flag, and one that an
        // interrupt came during is in doubt at once (its answer would never come)
        boolean wasInterrupted = Unflagged.begin();
        boolean interruptedMeanwhile;
        try {
            String idReply;
            if (!sendGeneratedIds && NatsMessages.carriesOnlyGeneratedStamp(message)) {
                connection.publish(subject, io.anymq.spi.Payloads.shared(message)); // what a plain jnats publish sends
            } else if (sendGeneratedIds && (idReply = NatsMessages.idReplySubject(message)) != null) {
                connection.publish(subject, idReply, io.anymq.spi.Payloads.shared(message)); // no headers: see idReplySubject
            } else {
                connection.publish(subject, NatsMessages.headers(message, sendGeneratedIds), io.anymq.spi.Payloads.shared(message));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return CompletableFuture.failedFuture(NatsErrors.publish(topic, message, e, connection.getMaxPayload()));
        } finally {
            interruptedMeanwhile = Unflagged.end(wasInterrupted);
        }
        if (interruptedMeanwhile) {
            return CompletableFuture.failedFuture(Unflagged.inDoubt(topic, "sent"));
        }
        return CompletableFuture.completedFuture(Receipt.of(topic, message, -1));
    }

    /**
     * Waits for the server to have read what jnats wrote so far (a PING answered), while connected. While the
     * connection is lost it fails at once: jnats keeps what was sent meanwhile in its buffer for the reconnection (at
     * most once: lost if none comes), and a flush would only wait its 10 s out (a producer's close took 20 s so).
     * Nothing here asks jnats how much it holds: its counts take the lock its reconnecting thread keeps for as long as
     * it retries (a flush waited there for good).
     */
    @Override
    public void flush() {
        Connection.Status status = connection.getStatus();
        if (status != Connection.Status.CONNECTED) {
            throw new ConnectionException("cannot flush to NATS while the connection is " + status.name().toLowerCase(java.util.Locale.ROOT)
                    + ": what was sent meanwhile waits in the client for the reconnection (lost if none comes)", null);
        }
        // the PING goes out from the connection's control thread (NatsControl: one jnats dropped for an interrupted thread made
        // every later flush time out); a flag set before is kept for after, an interrupt during ends the wait, not the flush
        boolean flagWasSet = Thread.interrupted();
        try {
            control.flush(connection, Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            throw new MessagingTimeoutException("NATS did not confirm the flush within 10 s", e);
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while waiting for NATS to confirm the flush of '" + topic + "'", e);
        } catch (IllegalStateException e) {
            throw new ConnectionException("cannot flush to NATS: " + e.getMessage(), e);
        } finally {
            if (flagWasSet) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Nothing of its own: the core flushed before (the connection is the client's). */
    @Override
    public void close() {
    }
}
