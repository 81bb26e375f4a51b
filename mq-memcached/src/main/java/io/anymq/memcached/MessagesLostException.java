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

    /** How many messages are gone at most (the group's unsettled numbers that went with the server's data). */
    public long lost() {
        return lost;
    }
}
