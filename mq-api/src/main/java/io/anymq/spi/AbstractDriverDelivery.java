package io.anymq.spi;

import io.anymq.Message;

import java.util.Objects;

/**
 * What every driver's delivery holds: the message and how often the group has had it. A driver
 * extends it with what its broker needs to settle (a tag, an offset, an entry id) and the three
 * settlement methods.
 */
public abstract class AbstractDriverDelivery implements DriverDelivery {
    private final Message message;
    private final int deliveryCount;

    /**
     * A delivery of a message.
     *
     * @param message       the message as it was sent
     * @param deliveryCount 1 on the first delivery to the group (pass 1 where the broker keeps no count)
     */
    protected AbstractDriverDelivery(Message message, int deliveryCount) {
        this.message = Objects.requireNonNull(message, "message");
        this.deliveryCount = deliveryCount;
    }

    @Override
    public final Message message() {
        return message;
    }

    @Override
    public final int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + message.id() + ", delivery " + deliveryCount + "}";
    }
}
