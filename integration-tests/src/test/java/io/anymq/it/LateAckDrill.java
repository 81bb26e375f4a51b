package io.anymq.it;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.SettlementException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A late ack where only the driver can tell that it is late: the consumers set no ack timeout, so the
 * SDK core keeps no deadline, and the broker redelivers after its own ack wait (a URL option). Member A
 * holds the message past it, the message comes again (to B, or to A), A acks its first delivery: the
 * ack must fail with {@code SettlementException(EXPIRED)} and leave the newer delivery alone, so that
 * the message comes once more when that one is nacked. A driver that sent the ack anyway would settle
 * the newer delivery, and the nack would find nothing to give back: the message would be lost.
 */
public final class LateAckDrill {
    private LateAckDrill() {
    }

    /** What the drill saw: who got the message again, and the delivery counts. */
    public record Result(boolean redeliveredToTheOtherMember, int secondCount, int thirdCount) {
    }

    /**
     * @param url      a URL whose broker-side ack wait is {@code ackWait} (for example {@code ?ack-wait=1s})
     * @param ackWait  that ack wait
     */
    public static Result run(String url, Duration ackWait) {
        String topic = "late-ack-" + UUID.randomUUID().toString().substring(0, 8);
        try (MessagingClient producerClient = Messaging.connect(url);
             MessagingClient clientA = Messaging.connect(url);
             MessagingClient clientB = Messaging.connect(url)) {
            ConsumerOptions options = ConsumerOptions.builder(topic, "g")
                    .startPosition(DrillBackends.earliestPossible(producerClient))
                    .build();
            Consumer a = clientA.consumer(options);
            Consumer b = clientB.consumer(options);
            Message sent = Message.builder().payload("late").id(topic + "-m").build();
            producerClient.producer(topic).send(sent).join();

            Map.Entry<Consumer, Delivery> first = receiveFromEither(a, b, Duration.ofSeconds(10));
            Consumer holder = first.getKey();
            Consumer other = holder == a ? b : a;
            Map.Entry<Consumer, Delivery> second = receiveFromEither(other, holder, ackWait.multipliedBy(10));
            assertThat(second.getValue().message().id()).isEqualTo(sent.id());

            try {
                first.getValue().ack().join();
                fail("the ack of the first delivery, after the broker delivered the message again, was accepted");
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(SettlementException.class);
                assertThat(((SettlementException) e.getCause()).reason()).isEqualTo(SettlementException.Reason.EXPIRED);
            } catch (SettlementException e) {
                assertThat(e.reason()).isEqualTo(SettlementException.Reason.EXPIRED);
            }

            second.getValue().nack(Duration.ZERO).join();
            Map.Entry<Consumer, Delivery> third = receiveFromEither(second.getKey(), second.getKey() == a ? b : a, ackWait.multipliedBy(10));
            assertThat(third.getValue().message().id()).as("the message comes again after the newer delivery was nacked").isEqualTo(sent.id());
            third.getValue().ack().join();
            boolean counts = producerClient.capabilities().has(Capability.DELIVERY_COUNT);
            return new Result(second.getKey() != holder, counts ? second.getValue().deliveryCount() : 0,
                    counts ? third.getValue().deliveryCount() : 0);
        }
    }

    private static Map.Entry<Consumer, Delivery> receiveFromEither(Consumer first, Consumer second, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            for (Consumer c : List.of(first, second)) {
                Optional<Delivery> d = c.receive(Duration.ofMillis(100));
                if (d.isPresent()) {
                    return Map.entry(c, d.get());
                }
            }
        }
        throw new AssertionError("nothing arrived on '" + first.topic() + "' within " + within);
    }
}
