package io.anymq;

/** An operation did not finish within its time limit. Retryable. */
public class MessagingTimeoutException extends MessagingException {
    /**
     * A timeout without a cause.
     *
     * @param message what did not finish, and its limit
     */
    public MessagingTimeoutException(String message) {
        super(message, true);
    }

    /**
     * A timeout with a cause.
     *
     * @param message what did not finish, and its limit
     * @param cause   the client library's timeout
     */
    public MessagingTimeoutException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
