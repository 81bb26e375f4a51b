package io.anymq.spring.sample;

import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.Receipt;
import org.springframework.stereotype.Service;

import java.util.concurrent.CompletableFuture;

/** Places orders: one message per order, keyed by customer. */
@Service
public class OrderService {
    private final Producer orders;

    OrderService(Producer orders) {
        this.orders = orders;
    }

    /**
     * Sends an order.
     *
     * @param customer the customer (the message's key)
     * @param item     what was ordered (the payload)
     * @return the receipt, when the broker holds the order
     */
    public CompletableFuture<Receipt> place(String customer, String item) {
        return orders.send(Message.builder().key(customer).header("kind", "order").payload(item).build());
    }
}
