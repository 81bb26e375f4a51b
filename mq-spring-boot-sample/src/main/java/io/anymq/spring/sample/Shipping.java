package io.anymq.spring.sample;

import io.anymq.Delivery;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Ships what was ordered; an item named "broken" fails the first time (the delivery is nacked and comes again). */
@Component
public class Shipping {
    private final List<String> shipped = new CopyOnWriteArrayList<>();

    void handle(Delivery delivery) {
        String item = delivery.message().payloadAsString();
        if (item.equals("broken") && delivery.deliveryCount() < 2) {
            throw new IllegalStateException("the warehouse dropped it; try again");
        }
        shipped.add(delivery.message().key() + ":" + item);
    }

    /**
     * What was shipped so far, as {@code customer:item}.
     *
     * @return a snapshot
     */
    public List<String> shipped() {
        return List.copyOf(shipped);
    }
}
