package io.anymq.pulsar;

import io.anymq.AuthenticationException;
import io.anymq.ClosedException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.InvalidNameException;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import io.anymq.Redaction;
import io.anymq.TopicNotFoundException;
import org.apache.pulsar.client.api.PulsarClientException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns pulsar-client's exceptions into the SDK's typed errors. */
final class PulsarErrors {
    private PulsarErrors() {
    }

    static MessagingException map(Throwable e, String what) {
        Throwable t = unwrap(e);
        if (t instanceof MessagingException m) {
            return m;
        }
        String text = what + ": " + describe(t);
        if (t instanceof PulsarClientException.AuthenticationException
                || t instanceof PulsarClientException.AuthorizationException
                || t instanceof PulsarClientException.GettingAuthenticationDataException
                || t instanceof PulsarClientException.UnsupportedAuthenticationException) {
            return new AuthenticationException(text, t);
        }
        if (t instanceof PulsarClientException.InvalidMessageException && describe(t).contains("size")) {
            return new MessageTooLargeException(-1, -1, "pulsar (the client or the broker refused the message: " + describe(t) + ")");
        }
        if (t instanceof PulsarClientException.InvalidTopicNameException) {
            return new InvalidNameException(text);
        }
        if (t instanceof PulsarClientException.TopicDoesNotExistException || t instanceof PulsarClientException.NotFoundException) {
            return new TopicNotFoundException(text);
        }
        if (t instanceof PulsarClientException.InvalidConfigurationException
                || t instanceof PulsarClientException.InvalidServiceURL
                || t instanceof PulsarClientException.NotAllowedException
                || t instanceof PulsarClientException.ConsumerAssignException
                || t instanceof PulsarClientException.IncompatibleSchemaException) {
            return new ConfigurationException(text);
        }
        if (t instanceof PulsarClientException.AlreadyClosedException) {
            return new ClosedException(text);
        }
        if (t instanceof PulsarClientException.TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new MessagingTimeoutException(text, t);
        }
        return new ConnectionException(text, t);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PulsarClientException && t.getCause() instanceof PulsarClientException inner) {
            return inner;
        }
        return t;
    }

    /** The messages of the cause chain, at most ~500 characters, with URL secrets hidden. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null && (b.length() == 0 || !b.toString().contains(t.getMessage()))) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : Redaction.url(b.toString());
    }
}
