package io.anymq;

/**
 * A blocking call (receive, a blocked send, flush) was interrupted. The thread's interrupt flag is
 * set again before this is thrown.
 */
public class MessagingInterruptedException extends MessagingException {
    /**
     * Sets the current thread's interrupt flag again.
     *
     * @param message which call was interrupted
     * @param cause   the interruption
     */
    public MessagingInterruptedException(String message, InterruptedException cause) {
        super(message, cause, true);
        Thread.currentThread().interrupt();
    }
}
