package io.anymq;

/** The broker cannot be reached, or the connection to it was lost. Retryable: the broker may come back. */
public class ConnectionException extends MessagingException {
    public ConnectionException(String message, Throwable cause) {
        super(message, cause, true);
    }

    protected ConnectionException(String message, Throwable cause, boolean retryable) {
        super(message, cause, retryable);
    }
}
