package io.anymq.kafka;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.InvalidNameException;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import io.anymq.TopicNotFoundException;
import io.anymq.spi.Failures;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Turns kafka-clients' exceptions into the SDK's typed errors. */
final class KafkaErrors {
    private KafkaErrors() {
    }

    static MessagingException map(Throwable e, String what) {
        Throwable t = Failures.unwrap(e);
        if (t instanceof MessagingException m) {
            return m;
        }
        String text = what + ": " + Failures.describe(t);
        if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
            return new AuthenticationException(text, t);
        }
        if (t instanceof RecordTooLargeException) {
            return new MessageTooLargeException(-1, -1, "kafka (the broker or the producer refused the record: " + Failures.describe(t) + ")");
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
}
