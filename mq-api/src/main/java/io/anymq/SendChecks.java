package io.anymq;

/**
 * What the core checks of every message before a backend sees it, from the client's capabilities:
 * size, reserved headers, times, a delivery time, bytes and null header values. One per client,
 * shared by its producers and transactions.
 */
final class SendChecks {
    private final String provider;
    private final long maxPayload;
    private final boolean delayedDelivery;
    private final boolean binaryData;
    private final boolean nullHeaderValues;
    private final boolean repeatedHeaders;

    SendChecks(String provider, Capabilities caps) {
        this.provider = provider;
        this.maxPayload = caps.maxPayloadBytes();
        this.delayedDelivery = caps.has(Capability.DELAYED_DELIVERY);
        this.binaryData = caps.has(Capability.BINARY_DATA);
        this.nullHeaderValues = caps.has(Capability.NULL_HEADER_VALUES);
        this.repeatedHeaders = caps.has(Capability.REPEATED_HEADERS);
    }

    /**
     * Checks a message; returns it unchanged (not yet stamped).
     *
     * @param userMessage whether the application made it (reserved headers are refused); false for the core's own sends
     */
    Message check(Message message, boolean userMessage) {
        if (message == null) {
            throw new InvalidMessageException("message is null");
        }
        if (message.payloadSize() > maxPayload) {
            throw new MessageTooLargeException(message.payloadSize(), maxPayload, provider);
        }
        if (userMessage) {
            String reserved = message.firstReservedHeader();
            if (reserved != null) {
                throw new InvalidMessageException("header '" + reserved + "' uses the reserved prefix '"
                        + Message.RESERVED_HEADER_PREFIX + "'");
            }
        }
        Message.checkTimesForSend(message);
        if (message.deliverAt() != null && !delayedDelivery) {
            throw new UnsupportedCapabilityException(Capability.DELAYED_DELIVERY, provider, "Message.deliverAt");
        }
        if (!message.isText()) {
            checkBinary(message);
        }
        return message;
    }

    /** A key or header value that is not text, or a repeated header name, is sent only where the broker holds it exactly. */
    private void checkBinary(Message message) {
        if (!binaryData && (message.hasBinaryKey() || message.hasBinaryHeaderValue())) {
            throw new UnsupportedCapabilityException(Capability.BINARY_DATA, provider,
                    "a message whose " + (message.hasBinaryKey() ? "key" : "header value") + " is bytes that are not UTF-8 text");
        }
        if (!nullHeaderValues && message.hasNullHeaderValue()) {
            throw new UnsupportedCapabilityException(Capability.NULL_HEADER_VALUES, provider,
                    "a message with a header without a value");
        }
        if (!repeatedHeaders && message.hasRepeatedHeaders()) {
            throw new UnsupportedCapabilityException(Capability.REPEATED_HEADERS, provider,
                    "a message whose header name occurs more than once");
        }
    }
}
