package io.anymq;

/** Bytes that are not a valid anymq envelope: truncated, corrupted, foreign, or of a newer version. */
public class EnvelopeFormatException extends MessagingException {
    /**
     * Bytes that do not decode.
     *
     * @param message which check failed, and where
     */
    public EnvelopeFormatException(String message) {
        super(message, false);
    }
}
