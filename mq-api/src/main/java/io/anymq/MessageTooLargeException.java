package io.anymq;

/** A payload over the backend's maximum ({@link Capabilities#maxPayloadBytes()}), refused before it reaches the broker. */
public class MessageTooLargeException extends MessagingException {
    private final long size;
    private final long max;

    /**
     * A payload over the limit.
     *
     * @param size     the payload's size in bytes, or -1 where the broker refused it without saying
     * @param max      the backend's maximum in bytes, or -1 where the broker refused it without saying
     * @param provider the provider's name, for the message
     */
    public MessageTooLargeException(long size, long max, String provider) {
        super(size < 0 || max < 0 ? "the message is over the maximum size for " + provider
                : "payload of " + size + " bytes is over the maximum of " + max + " bytes for " + provider, false);
        this.size = size;
        this.max = max;
    }

    /**
     * The refused payload's size.
     *
     * @return bytes, or -1 where the broker refused the message without saying
     */
    public long size() {
        return size;
    }

    /**
     * The backend's maximum payload.
     *
     * @return bytes, or -1 where the broker refused the message without saying
     */
    public long max() {
        return max;
    }
}
