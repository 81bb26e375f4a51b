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

    /**
     * The exception that says what happened: through the futures' wrappers and pulsar-client's own plain
     * {@code PulsarClientException}s that only wrap another (a blocking create or subscribe nests
     * {@code PulsarClientException(ExecutionException(PulsarClientException(CompletionException(cause))))}), so that a
     * timeout inside them is typed as one and the text is the cause's, not the wrappers' class names.
     */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t instanceof ExecutionException || t instanceof CompletionException
                || t.getClass() == PulsarClientException.class && (t.getCause() instanceof PulsarClientException || onlyWraps(t)))) {
            t = t.getCause();
        }
        return t;
    }

    /** The messages of the cause chain, at most ~500 characters, with URL secrets hidden. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null && !onlyWraps(t) && (b.length() == 0 || !b.toString().contains(t.getMessage()))) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : Redaction.url(b.toString());
    }

    /** Made from its cause alone ({@code new X(cause)}): its message is the cause's {@code toString()}, nothing of its own. */
    private static boolean onlyWraps(Throwable t) {
        return t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()));
    }
}
