package io.anymq.bridge;

import io.anymq.Message;
import io.anymq.MessagingException;

import java.util.List;

/**
 * What a running {@link Bridge} reports. Every method has an empty default; implement those you
 * need. Called from the bridge's own threads: keep each call short and do not block in it.
 */
public interface BridgeListener {

    /** The bridge is connected and copying; the notes say what it guarantees between these two brokers. */
    default void onStart(List<String> notes) {
    }

    /** Every progress interval, and once more when the bridge has stopped. */
    default void onProgress(BridgeProgress progress) {
    }

    /**
     * A send (or a receive: then {@code message} is null) failed with an error that may clear up; the
     * bridge waits and tries again.
     */
    default void onRetry(Message message, MessagingException error, int attempt) {
    }

    /** The destination refused the message for good; it goes to the dead-letter destination. */
    default void onDeadLetter(Message message, MessagingException refusal) {
    }
}
