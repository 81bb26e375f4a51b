package io.anymq;

/**
 * A blocking call (receive, a blocked send, flush) was interrupted. The thread's interrupt flag is
 * set again before this is thrown.
 */
public class MessagingInterruptedException extends MessagingException {
    public MessagingInterruptedException(String message, InterruptedException cause) {
        super(message, cause, true);
        Thread.currentThread().interrupt();
    }
}
