package io.anymq.nats;

/**
 * jnats drops what an interrupted thread publishes: its writer queue's {@code tryLock} throws, jnats sets the
 * flag again, tells only the error listener ({@code messageDiscarded}) and returns as if it had queued the
 * message. A JetStream ack, nak or term is such a publish, so a settlement from a handler that restored its
 * interrupt flag was lost without a word (the message came again after AckWait). Publishes therefore run with the
 * flag cleared, and it is set again after.
 */
final class Unflagged {
    private Unflagged() {
    }

    /** Clears the thread's interrupt flag before a publish; returns whether it was set (for {@link #end}). */
    static boolean begin() {
        return Thread.interrupted();
    }

    /**
     * After a publish: sets the flag again when it was set before or an interrupt came meanwhile; returns whether one
     * came meanwhile (then jnats may have dropped the message).
     */
    static boolean end(boolean wasInterrupted) {
        boolean interruptedMeanwhile = Thread.interrupted();
        if (wasInterrupted || interruptedMeanwhile) {
            Thread.currentThread().interrupt();
        }
        return interruptedMeanwhile;
    }

    /** The failure of a send whose publish an interrupt came during: jnats may have dropped the message. */
    static io.anymq.MessagingInterruptedException inDoubt(String topic, String outcome) {
        return new io.anymq.MessagingInterruptedException("interrupted while handing the message to jnats for '" + topic + "': it may or may not have been "
                + outcome + " (jnats drops a message whose publish is interrupted)", new InterruptedException());
    }

    /** Runs the publish between {@link #begin} and {@link #end}; returns whether an interrupt came meanwhile. */
    static boolean publish(Runnable publish) {
        boolean wasInterrupted = begin();
        boolean interruptedMeanwhile;
        try {
            publish.run();
        } finally {
            interruptedMeanwhile = end(wasInterrupted);
        }
        return interruptedMeanwhile;
    }

    /**
     * Publishes a settlement (an ack, nak or term, which the server applies once to the delivery it names and
     * ignores after): again when an interrupt came during the publish, a few times at most.
     */
    static void settle(Runnable publish) {
        for (int attempt = 0; attempt < 5 && publish(publish); attempt++) {
            // jnats may have dropped it: the server ignores a second one for the same delivery
        }
    }
}
