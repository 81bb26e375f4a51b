package io.anymq;

/** A payload over the backend's maximum ({@link Capabilities#maxPayloadBytes()}), refused before it reaches the broker. */
public class MessageTooLargeException extends MessagingException {
    private final long size;
    private final long max;

    public MessageTooLargeException(long size, long max, String provider) {
        super("payload of " + size + " bytes is over the maximum of " + max + " bytes for " + provider, false);
        this.size = size;
        this.max = max;
    }

    public long size() {
        return size;
    }

    public long max() {
        return max;
    }
}
