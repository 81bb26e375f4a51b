package io.anymq;

/** The client, producer, consumer or subscription was closed; it cannot be used again. */
public class ClosedException extends MessagingException {
    public ClosedException(String message) {
        super(message, false);
    }
}
