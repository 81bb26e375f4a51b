package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.UnsupportedCapabilityException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every capability a backend does not declare is refused when it is asked for, never ignored. */
public interface RefusalScenarios extends TckContext {

    /** The capabilities an application asks for explicitly; the others are properties of the backend. */
    java.util.Set<Capability> REQUESTABLE = java.util.EnumSet.of(Capability.AT_LEAST_ONCE, Capability.KEY_ORDERING,
            Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DELAYED_DELIVERY,
            Capability.DEAD_LETTER, Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME, Capability.BATCH_SEND, Capability.TRANSACTIONS,
            Capability.TRANSACTIONAL_ACK,
            Capability.BINARY_DATA, Capability.NULL_HEADER_VALUES, Capability.REPEATED_HEADERS,
            Capability.TOPIC_DELETION);

    /** How each capability that can be asked for is asked for. The others are properties the suite observes. */
    private Map<Capability, Function<String, ThrowingCallable>> requests() {
        return Map.ofEntries(
                Map.entry(Capability.TRANSACTIONS, topic -> () -> client().beginTransaction()),
                Map.entry(Capability.REPLAY_FROM_EARLIEST, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build())),
                Map.entry(Capability.START_AT_TIME, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").startPosition(StartPosition.at(Instant.now().minusSeconds(60))).build())),
                Map.entry(Capability.ACK_TIMEOUT, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").ackTimeout(Duration.ofSeconds(30)).build())),
                Map.entry(Capability.DEAD_LETTER, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").deadLetterTopic(topic + "-dlq").build())),
                Map.entry(Capability.KEY_ORDERING, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").keyOrdered(true).build())),
                Map.entry(Capability.DELIVERY_COUNT, topic -> () -> client().consumer(
                        ConsumerOptions.builder(topic, "g").maxDeliveries(3).build())),
                Map.entry(Capability.DELAYED_DELIVERY, topic -> () -> producer(topic).send(
                        Message.builder().payload("x").deliverAt(Instant.now().plusSeconds(1)).build())),
                Map.entry(Capability.BATCH_SEND, topic -> () -> producer(topic).sendBatch(List.of(Message.of("x")))),
                Map.entry(Capability.BINARY_DATA, topic -> () -> producer(topic).send(
                        Message.builder().payload("x").keyBytes(new byte[] {(byte) 0xff, 0, (byte) 0xc3}).build())),
                Map.entry(Capability.NULL_HEADER_VALUES, topic -> () -> producer(topic).send(
                        Message.builder().payload("x").headerBytes("h", (byte[]) null).build())),
                Map.entry(Capability.REPEATED_HEADERS, topic -> () -> producer(topic).send(
                        Message.builder().payload("x").addHeader("h", "1").addHeader("h", "2").build())),

                Map.entry(Capability.TOPIC_DELETION, topic -> () -> client().deleteTopic(topic, List.of("g"))));
    }

    @Test
    default void refusalsOfUndeclaredCapabilities() {
        List<Capability> checked = new ArrayList<>();
        requests().forEach((capability, request) -> {
            if (!declares(capability)) {
                String topic = name("refuse");
                assertThatThrownBy(request.apply(topic))
                        .as("asking for undeclared %s", capability)
                        .isInstanceOf(UnsupportedCapabilityException.class)
                        .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(capability));
                checked.add(capability);
            }
        });
        if (!declares(Capability.NACK_REDELIVERY) || !declares(Capability.AT_LEAST_ONCE) || !declares(Capability.DELIVERY_COUNT)
                || (declares(Capability.TRANSACTIONS) && !declares(Capability.TRANSACTIONAL_ACK))) {
            String topic = name("refuse-settle");
            Consumer consumer = consumer(topic, name("g"));
            Producer producer = producer(topic);
            producer.send("x").join();
            Delivery d = receiveOne(consumer);
            if (!declares(Capability.DELIVERY_COUNT)) {
                assertThatThrownBy(d::deliveryCount).isInstanceOf(UnsupportedCapabilityException.class);
                checked.add(Capability.DELIVERY_COUNT);
            }
            if (!declares(Capability.NACK_REDELIVERY)) {
                assertThatThrownBy(() -> d.nack(Duration.ZERO)).isInstanceOf(UnsupportedCapabilityException.class);
                checked.add(Capability.NACK_REDELIVERY);
            }
            if (!declares(Capability.AT_LEAST_ONCE)) {
                assertThatThrownBy(d::reject).isInstanceOf(UnsupportedCapabilityException.class);
                checked.add(Capability.AT_LEAST_ONCE);
            }
            if (declares(Capability.TRANSACTIONS) && !declares(Capability.TRANSACTIONAL_ACK)) {
                try (io.anymq.Transaction tx = client().beginTransaction()) {
                    assertThatThrownBy(() -> tx.ack(d)).isInstanceOf(UnsupportedCapabilityException.class)
                            .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.TRANSACTIONAL_ACK));
                }
                checked.add(Capability.TRANSACTIONAL_ACK);
            }
            assertThat(d.isSettled()).as("a refused settlement leaves the delivery unsettled").isFalse();
            d.ack();
        }
        observe("refusalsOfUndeclaredCapabilities", checked.isEmpty() ? "every capability that can be asked for is declared"
                : "refused as required: " + checked.stream().distinct().toList());
    }
}
