package io.anymq;

/**
 * The producer's in-flight window stayed full: either at once (policy {@code FAIL}) or for longer
 * than the block timeout (policy {@code BLOCK}). Retryable once earlier sends complete.
 */
public class BackpressureException extends MessagingException {
    /**
     * A full window.
     *
     * @param message which producer and how long it waited
     */
    public BackpressureException(String message) {
        super(message, true);
    }
}
