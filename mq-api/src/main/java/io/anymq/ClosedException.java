package io.anymq;

/** The client, producer, consumer or subscription was closed; it cannot be used again. */
public class ClosedException extends MessagingException {
    /**
     * A use after close.
     *
     * @param message what was closed
     */
    public ClosedException(String message) {
        super(message, false);
    }
}
