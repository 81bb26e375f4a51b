package io.anymq;

/**
 * Handles pushed deliveries. A normal return acks the delivery (unless the handler settled it
 * itself); an exception nacks it with the subscription's retry delay.
 */
@FunctionalInterface
public interface DeliveryHandler {
    void handle(Delivery delivery) throws Exception;
}
