package io.anymq.spi;

import io.anymq.Message;

import java.util.List;

/**
 * One transaction as the core hands it to a driver at commit: the sends, in the order the application
 * made them (checked, stamped with id and timestamp), and the deliveries to ack with them (only when
 * the driver declares {@link io.anymq.Capability#TRANSACTIONAL_ACK}; each came from a consumer driver
 * of the same client and is not settled otherwise).
 *
 * @param sends the sends, in order
 * @param acks  the deliveries to ack, in the order they were acked
 */
public record TransactionWork(List<Send> sends, List<DriverDelivery> acks) {

    /**
     * One send of a transaction.
     *
     * @param topic   the checked topic name
     * @param message the checked, stamped message
     */
    public record Send(String topic, Message message) {
    }

    /**
     * A transaction.
     *
     * @param sends the sends, in order
     * @param acks  the deliveries to ack
     */
    public TransactionWork {
        sends = List.copyOf(sends);
        acks = List.copyOf(acks);
    }
}
