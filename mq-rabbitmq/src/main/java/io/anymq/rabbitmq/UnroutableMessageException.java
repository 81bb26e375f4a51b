package io.anymq.rabbitmq;

import io.anymq.MessagingException;

/**
 * RabbitMQ returned the message as unroutable: the topic's exchange has no queue bound, that is, the
 * topic has no group yet, so nobody would ever receive it. Retryable: it succeeds once a group
 * exists. Raised with {@code unroutable=fail} (the default); with {@code unroutable=accept} such a
 * send completes and the message is dropped, as on a topic without subscribers elsewhere.
 */
public class UnroutableMessageException extends MessagingException {
    public UnroutableMessageException(String what) {
        super("RabbitMQ returned " + what + " as unroutable: the topic has no group (no queue is bound to its exchange), "
                + "so nobody would receive it. Create the group first (a consumer), or connect with unroutable=accept", true);
    }
}
