package io.anymq;

/** The broker cannot be reached, or the connection to it was lost. Retryable: the broker may come back. */
public class ConnectionException extends MessagingException {
    /**
     * A retryable connection failure.
     *
     * @param message what could not be reached, without secrets
     * @param cause   the client library's error, or null
     */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause, true);
    }

    /**
     * A connection failure that subclasses mark retryable or not.
     *
     * @param message   what failed, without secrets
     * @param cause     the client library's error, or null
     * @param retryable whether trying again can help
     */
    protected ConnectionException(String message, Throwable cause, boolean retryable) {
        super(message, cause, retryable);
    }
}
