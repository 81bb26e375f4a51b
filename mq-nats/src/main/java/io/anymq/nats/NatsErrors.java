package io.anymq.nats;

import io.anymq.ClosedException;
import io.anymq.ConnectionException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;

import java.util.concurrent.TimeoutException;

/** jnats failures as the SDK's typed errors. */
final class NatsErrors {
    private NatsErrors() {
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
        if (inFlight && t instanceof io.nats.client.JetStreamApiException) {
            return new ConnectionException("the stream refused the message to '" + topic + "': " + text, t);
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
