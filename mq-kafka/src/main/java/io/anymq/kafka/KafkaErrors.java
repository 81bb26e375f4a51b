package io.anymq.kafka;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.InvalidNameException;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import io.anymq.TopicNotFoundException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns kafka-clients' exceptions into the SDK's typed errors. */
final class KafkaErrors {
    private KafkaErrors() {
    }

    static MessagingException map(Throwable e, String what) {
        Throwable t = unwrap(e);
        if (t instanceof MessagingException m) {
            return m;
        }
        String text = what + ": " + describe(t);
        if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
            return new AuthenticationException(text, t);
        }
        if (t instanceof RecordTooLargeException) {
            return new MessageTooLargeException(-1, -1, "kafka (the broker or the producer refused the record: " + describe(t) + ")");
        }
        if (t instanceof UnknownTopicOrPartitionException) {
            return new TopicNotFoundException(text);
        }
        if (t instanceof InvalidTopicException) {
            return new InvalidNameException(text);
        }
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new MessagingTimeoutException(text, t);
        }
        return new ConnectionException(text, t);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null && (b.length() == 0 || !b.toString().contains(t.getMessage()))) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
    }
}
