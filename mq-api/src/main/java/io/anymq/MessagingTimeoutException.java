package io.anymq;

/** An operation did not finish within its time limit. Retryable. */
public class MessagingTimeoutException extends MessagingException {
    public MessagingTimeoutException(String message) {
        super(message, true);
    }

    public MessagingTimeoutException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
