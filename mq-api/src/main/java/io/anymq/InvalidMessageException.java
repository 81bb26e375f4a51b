package io.anymq;

/** A message that cannot be sent as it is: a reserved header name, a delivery time on a backend without it, and so on. */
public class InvalidMessageException extends MessagingException {
    public InvalidMessageException(String message) {
        super(message, false);
    }
}
