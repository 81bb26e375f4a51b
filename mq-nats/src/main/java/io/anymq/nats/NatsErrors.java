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
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String text = String.valueOf(t.getMessage());
        if (text.contains("exceed") && text.toLowerCase().contains("payload")) {
            return new MessageTooLargeException(m.payloadSize(), serverMaxPayload - NatsSettings.HEADER_ROOM, "nats (with headers, over the server's max_payload)");
        }
        if (t instanceof TimeoutException || text.contains("Timeout") || text.contains("timed out")) {
            return new MessagingTimeoutException("NATS did not confirm the message to '" + topic + "' in time: " + text, t);
        }
        if (t instanceof IllegalStateException && text.contains("closed")) {
            return new ClosedException("the NATS connection is closed");
        }
        if (t instanceof MessagingException me) {
            return me;
        }
        return new ConnectionException("NATS refused or lost the message to '" + topic + "': " + text, t);
    }
}
