package io.anymq.cloudevents;

import io.anymq.MessagingException;

/**
 * A message is not a CloudEvent, or not a valid one: no CloudEvents headers and no structured
 * payload, an unknown spec version, a missing required attribute, an attribute that does not
 * parse, or an event format this module does not read. Not retryable: the same message fails the
 * same way again.
 */
public class CloudEventFormatException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what is wrong with the message
     */
    public CloudEventFormatException(String message) {
        super(message, false);
    }

    /**
     * An exception with a message and the CloudEvents SDK's reason.
     *
     * @param message what is wrong with the message
     * @param cause   the SDK's exception
     */
    public CloudEventFormatException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
