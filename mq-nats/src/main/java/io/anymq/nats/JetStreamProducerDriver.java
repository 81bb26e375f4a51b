package io.anymq.nats;

import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.spi.ProducerDriver;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * JetStream publish: the send completes when the stream acknowledged the message (it is stored).
 * The message id is the {@code Nats-Msg-Id} header, so a resend within the stream's duplicate window
 * is stored once.
 */
final class JetStreamProducerDriver implements ProducerDriver {
    private final String topic;
    private final String subject;
    private final JetStream js;
    private final long maxPayload;

    JetStreamProducerDriver(Connection connection, String topic, NatsSettings settings) {
        this.topic = topic;
        this.subject = NatsNames.subject(topic);
        this.maxPayload = connection.getMaxPayload();
        try {
            this.js = connection.jetStream(JetStreamOptions.builder().requestTimeout(settings.publishTimeout()).build());
        } catch (IOException e) {
            throw new io.anymq.ConnectionException("cannot use JetStream: " + e.getMessage(), e);
        }
    }

    /**
     * The most bytes of headers a stream stores with a message (nats-server refuses more with error 10097, "header size
     * exceeds maximum allowed of 64k"), counted as jnats writes them: the {@code NATS/1.0} line, each {@code name: value}
     * line and the blank line.
     */
    static final int MAX_STORED_HEADER_BYTES = 65_535;

    @Override
    public CompletableFuture<Receipt> send(Message message) {
        io.nats.client.impl.Headers headers = NatsMessages.headers(message);
        if (headers.serializedLength() > MAX_STORED_HEADER_BYTES) {
            throw new io.anymq.InvalidMessageException("the headers of the message to '" + topic + "' take " + headers.serializedLength()
                    + " bytes as NATS writes them; a JetStream stream stores at most " + MAX_STORED_HEADER_BYTES + " bytes of headers with a message");
        }
        CompletableFuture<io.nats.client.api.PublishAck> ack;
        // jnats drops what an interrupted thread publishes (see Unflagged): the publish runs without the flag, and one that an
        // interrupt came during is in doubt at once (its answer would never come)
        boolean wasInterrupted = Unflagged.begin();
        boolean interruptedMeanwhile;
        try {
            ack = js.publishAsync(subject, headers, io.anymq.spi.Payloads.shared(message));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(NatsErrors.publish(topic, message, e, maxPayload));
        } finally {
            interruptedMeanwhile = Unflagged.end(wasInterrupted);
        }
        if (interruptedMeanwhile) {
            return CompletableFuture.failedFuture(Unflagged.inDoubt(topic, "stored"));
        }
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        ack.whenComplete((pa, error) -> {
            if (error != null) {
                receipt.completeExceptionally(NatsErrors.publish(topic, message, error, maxPayload, true));
            } else {
                String id = message.id() != null ? message.id() : NatsMessages.positionId(topic, pa.getSeqno());
                receipt.complete(new Receipt(topic, id, message.timestamp(), pa.getStream() + ":" + pa.getSeqno()));
            }
        });
        return receipt;
    }

    /**
     * A message sent without an id is named by its stream sequence and carries no {@code Nats-Msg-Id}:
     * the server keeps no de-duplication entry for it. (A resend of a message without an id gets a
     * new id anyway, so a generated id never de-duplicated anything.)
     */
    @Override
    public boolean namesMessagesByPosition() {
        return true;
    }

    @Override
    public void close() {
        // the core waited for every send's acknowledgement; the connection belongs to the client
    }
}
