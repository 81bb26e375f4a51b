package io.anymq.memcached;

import io.anymq.MessagingException;

/**
 * Memcached lost messages of a group: the server restarted (it keeps nothing across one), evicted
 * them, or let them expire. Thrown once by the receive that found out, saying what is gone; the next
 * receive goes on with what the server holds now. Retryable in that sense: nothing is wrong with the
 * consumer, but what is gone stays gone.
 */
public class MessagesLostException extends MessagingException {
    private final long lost;

    public MessagesLostException(String message, long lost) {
        super(message, true);
        this.lost = lost;
    }

    /**
     * How many numbers of the old log the group had not settled when this member last looked before the loss: the
     * best count a member has. Some may have been settled since, and messages sent after that look are not in it.
     */
    public long lost() {
        return lost;
    }
}
