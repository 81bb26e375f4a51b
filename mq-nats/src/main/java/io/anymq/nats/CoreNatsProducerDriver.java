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
        // jnats drops what an interrupted thread publishes: its writer queue's tryLock throws, jnats sets the flag again,
        // tells only the error listener (messageDiscarded) and returns as if it had queued the message. So the flag is
        // cleared for the publish and set again after; an interrupt that came during it leaves the message in doubt.
        boolean wasInterrupted = Thread.interrupted();
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
            interruptedMeanwhile = Thread.interrupted();
            if (wasInterrupted || interruptedMeanwhile) {
                Thread.currentThread().interrupt();
            }
        }
        if (interruptedMeanwhile) {
            return CompletableFuture.failedFuture(new MessagingInterruptedException("interrupted while handing the message to jnats for '"
                    + topic + "': it may or may not have been sent (jnats drops a message whose publish is interrupted)", new InterruptedException()));
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
