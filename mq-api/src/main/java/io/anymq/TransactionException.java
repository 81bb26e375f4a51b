package io.anymq;

/**
 * A transaction did not commit. {@link #outcome()} says what the caller can rely on: with
 * {@link Outcome#ABORTED} nothing of the transaction took effect (its acked deliveries are back in
 * their groups, and it can be tried again as a whole); with {@link Outcome#UNKNOWN} the backend may
 * or may not have committed it (the connection was lost during the commit), so a retry may
 * duplicate its sends: consumers that must not see a message twice drop it by id.
 */
public class TransactionException extends MessagingException {

    /** What is known of a transaction that did not commit. */
    public enum Outcome {
        /** Nothing of it took effect. */
        ABORTED,
        /** It may or may not have taken effect. */
        UNKNOWN
    }

    private final Outcome outcome;

    /**
     * A transaction that did not commit.
     *
     * @param outcome what is known of it
     * @param message what happened
     * @param cause   the backend's error, or null
     */
    public TransactionException(Outcome outcome, String message, Throwable cause) {
        super(message, cause, outcome == Outcome.ABORTED);
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must not be null");
        }
        this.outcome = outcome;
    }

    /**
     * What is known of the transaction.
     *
     * @return {@code ABORTED}: nothing took effect; {@code UNKNOWN}: it may have
     */
    public Outcome outcome() {
        return outcome;
    }
}
