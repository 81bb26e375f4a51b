package io.anymq;

/** A message that cannot be sent as it is: a reserved header name, a delivery time on a backend without it, and so on. */
public class InvalidMessageException extends MessagingException {
    /**
     * A message refused before it is sent.
     *
     * @param message what is wrong with it
     */
    public InvalidMessageException(String message) {
        super(message, false);
    }
}
