package io.anymq.nats;

import io.anymq.ClosedException;
import io.anymq.ConnectionException;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;

import java.util.concurrent.TimeoutException;

/** jnats failures as the SDK's typed errors. */
final class NatsErrors {
    /** nats-server's JSStreamHeaderExceedsMaximumErr: "header size exceeds maximum allowed of 64k". */
    static final int HEADERS_TOO_LARGE = 10097;

    private NatsErrors() {
    }

    /**
     * The stream's refusal (an answer of the server, so the message was not stored) in the failure's causes: jnats
     * completes a JetStream publish's future with it wrapped in a {@code RuntimeException}; null when there is none.
     */
    private static io.nats.client.JetStreamApiException refusal(Throwable t) {
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof io.nats.client.JetStreamApiException r) {
                return r;
            }
        }
        return null;
    }

    static MessagingException publish(String topic, Message m, Throwable e, long serverMaxPayload) {
        return publish(topic, m, e, serverMaxPayload, false);
    }

    /**
     * A failed publish as a typed error. {@code inFlight}: the message had left (a JetStream publish
     * whose acknowledgement never came), so unless the server answered with a refusal it is in doubt,
     * and the error says so.
     */
    static MessagingException publish(String topic, Message m, Throwable e, long serverMaxPayload, boolean inFlight) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String text = String.valueOf(t.getMessage());
        if (text.contains("exceed") && text.toLowerCase().contains("payload")) {
            return new MessageTooLargeException(m.payloadSize(), serverMaxPayload - NatsSettings.HEADER_ROOM, "nats (with headers, over the server's max_payload)");
        }
        String doubt = inFlight ? ": it may or may not have been stored" : "";
        if (t instanceof TimeoutException || text.contains("Timeout") || text.contains("timed out")) {
            return new MessagingTimeoutException("NATS did not confirm the message to '" + topic + "' in time: " + text + doubt, t);
        }
        if (t instanceof MessagingException me) {
            return me;
        }
        io.nats.client.JetStreamApiException refusal = inFlight ? refusal(t) : null;
        if (refusal != null && refusal.getApiErrorCode() == HEADERS_TOO_LARGE) {
            return new InvalidMessageException("the stream refused the message to '" + topic + "' for its headers: "
                    + refusal.getMessage());
        }
        if (refusal != null) {
            return new ConnectionException("the stream refused the message to '" + topic + "': " + refusal.getMessage(), refusal);
        }
        if (inFlight) {
            return new ConnectionException("NATS lost the connection before the stream confirmed the message to '" + topic + "' ("
                    + text + ")" + doubt, t);
        }
        if (t instanceof IllegalStateException && text.contains("closed")) {
            return new ClosedException("the NATS connection is closed; the message to '" + topic + "' was not sent");
        }
        return new ConnectionException("NATS did not take the message to '" + topic + "': " + text, t);
    }
}
