package io.anymq;

/** A payload over the backend's maximum ({@link Capabilities#maxPayloadBytes()}), refused before it reaches the broker. */
public class MessageTooLargeException extends MessagingException {
    private final long size;
    private final long max;

    /**
     * A payload over the limit.
     *
     * @param size     the payload's size in bytes
     * @param max      the backend's maximum in bytes
     * @param provider the provider's name, for the message
     */
    public MessageTooLargeException(long size, long max, String provider) {
        super("payload of " + size + " bytes is over the maximum of " + max + " bytes for " + provider, false);
        this.size = size;
        this.max = max;
    }

    /**
     * The refused payload's size.
     *
     * @return bytes
     */
    public long size() {
        return size;
    }

    /**
     * The backend's maximum payload.
     *
     * @return bytes
     */
    public long max() {
        return max;
    }
}
