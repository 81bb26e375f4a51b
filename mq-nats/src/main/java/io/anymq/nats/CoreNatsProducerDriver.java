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
    private final String topic;
    private final String subject;
    private final boolean sendGeneratedIds;

    CoreNatsProducerDriver(Connection connection, String topic, boolean sendGeneratedIds) {
        this.connection = connection;
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

    @Override
    public void flush() {
        try {
            connection.flush(Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            throw new MessagingTimeoutException("NATS did not confirm the flush within 10 s", e);
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while flushing to NATS", e);
        } catch (IllegalStateException e) {
            throw new ConnectionException("cannot flush to NATS: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } catch (RuntimeException ignored) {
            // at-most-once: what the server did not get by now is lost, as declared
        }
    }
}
