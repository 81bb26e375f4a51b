package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

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

    /**
     * A delivery time far ahead (30 days, a year) is held, or refused at send with {@link InvalidMessageException} where the
     * broker bounds the delay; a time that has passed is delivered at once. Either way nothing else is disturbed: a message
     * sent after them arrives, and nothing held arrives early.
     */
    @Test
    @Requires(Capability.DELAYED_DELIVERY)
    default void aDeliveryTimeFarAheadIsHeldOrRefusedAtSendAndOneThatPassedIsDeliveredAtOnce() {
        String topic = name("delayed-far");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        List<String> refused = new ArrayList<>();
        for (Duration ahead : List.of(Duration.ofDays(30), Duration.ofDays(365))) {
            Message m = Message.builder().payload("held " + ahead).deliverAt(Instant.now().plus(ahead)).build();
            try {
                producer.send(m).join();
            } catch (CompletionException e) {
                assertThat(e.getCause()).as("a delivery time %s ahead", ahead).isInstanceOf(InvalidMessageException.class);
                refused.add(ahead + ": " + e.getCause().getMessage());
            } catch (InvalidMessageException e) {
                refused.add(ahead + ": " + e.getMessage());
            }
        }
        producer.send(Message.builder().payload("passed").deliverAt(Instant.now().minus(Duration.ofMinutes(5))).build()).join();
        producer.send(Message.of("now")).join();
        List<Delivery> got = receive(consumer, 2, true);
        assertThat(got).extracting(TckContext::text).as("refused: %s", refused).containsExactlyInAnyOrder("passed", "now");
        assertThat(receiveDuringAbsenceWait(consumer)).as("nothing held arrives early").isEmpty();
    }
}
