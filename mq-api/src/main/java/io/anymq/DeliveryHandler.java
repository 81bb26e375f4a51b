package io.anymq;

/**
 * Handles pushed deliveries. A normal return acks the delivery (unless the handler settled it
 * itself); an exception nacks it with the subscription's retry delay.
 */
@FunctionalInterface
public interface DeliveryHandler {
    /**
     * Handles one delivery.
     *
     * @param delivery the delivery; the handler may settle it itself
     * @throws Exception any failure: the delivery is nacked with the retry delay
     */
    void handle(Delivery delivery) throws Exception;
}
