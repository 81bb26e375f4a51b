package io.anymq;

/**
 * The root of every error anymq raises. Unchecked, like the errors of most modern clients.
 *
 * <p>Each error says whether retrying the same operation can help ({@link #isRetryable()}): a lost
 * connection or a full in-flight window can clear up; a malformed URL or an oversized message
 * cannot.
 */
public class MessagingException extends RuntimeException {
    private final boolean retryable;

    /**
     * An error without a cause.
     *
     * @param message   what went wrong
     * @param retryable whether the same call may succeed if tried again later
     */
    public MessagingException(String message, boolean retryable) {
        this(message, null, retryable);
    }

    /**
     * An error with a cause.
     *
     * @param message   what went wrong
     * @param cause     the underlying error, or null
     * @param retryable whether the same call may succeed if tried again later
     */
    public MessagingException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether the same call may succeed if tried again later. */
    public boolean isRetryable() {
        return retryable;
    }
}
