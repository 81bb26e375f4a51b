package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing is delivered before its delivery time. */
public interface DelayedDeliveryScenarios extends TckContext {

    @Test
    @Requires(Capability.DELAYED_DELIVERY)
    default void nothingArrivesBeforeDeliverAt() {
        String topic = name("delayed");
        Consumer consumer = consumer(topic, name("g"));
        Instant due = Instant.now().plus(settings().deliverAtDelay());
        producer(topic).send(Message.builder().payload("later").deliverAt(due).build()).join();
        producer(topic).send(Message.of("now")).join();
        Delivery first = receiveOne(consumer);
        assertThat(TckContext.text(first)).isEqualTo("now");
        first.ack();
        Delivery later = receiveOne(consumer);
        Instant arrived = Instant.now();
        assertThat(TckContext.text(later)).isEqualTo("later");
        assertThat(arrived).isAfterOrEqualTo(due.minus(settings().timingTolerance()));
        later.ack();
    }
}
