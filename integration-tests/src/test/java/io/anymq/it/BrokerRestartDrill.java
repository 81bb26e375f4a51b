package io.anymq.it;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The broker-restart fault test every at-least-once backend runs: a producer streams numbered
 * messages, a consumer acks them, and a third of the way in the broker is killed with
 * {@code kill -9} and restarted on the same port. Neither side is helped: they must recover by
 * themselves. Afterwards every message whose send completed must have arrived.
 */
public final class BrokerRestartDrill {

    /** What happened: completed and failed sends, distinct messages received, and duplicate deliveries. */
    public record Result(int sent, Set<String> confirmed, int failedSends, Set<String> received, int duplicates) {
        public boolean lostNothingConfirmed() {
            return received.containsAll(confirmed);
        }

        @Override
        public String toString() {
            return sent + " sent, " + confirmed.size() + " confirmed, " + failedSends + " failed sends, " + received.size()
                    + " received, " + duplicates + " duplicate deliveries";
        }
    }

    private BrokerRestartDrill() {
    }

    /** Runs the drill against the broker through the URL (which may add options to the broker's own URL). */
    public static Result run(Broker broker, String url, String topic, int total) throws InterruptedException {
        return run(broker, url, topic, total, Duration.ofSeconds(5));
    }

    /** The same with the consumer's ack timeout given (for brokers with a minimum, such as RocketMQ's 10 s invisible time). */
    public static Result run(Broker broker, String url, String topic, int total, Duration ackTimeout) throws InterruptedException {
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger failedSends = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (MessagingClient client = Messaging.connect(url)) {
            // the consumer exists before the first send: a backend without replay (LATEST only) gets every message too
            StartPosition start = client.capabilities().has(Capability.REPLAY_FROM_EARLIEST) ? StartPosition.EARLIEST : StartPosition.LATEST;
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "drill").startPosition(start)
                    .ackTimeout(ackTimeout).build());
            Thread receiver = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        for (Delivery d : consumer.receive(100, Duration.ofMillis(200))) {
                            deliveries.incrementAndGet();
                            received.add(d.message().id());
                            d.ack();
                        }
                    } catch (RuntimeException brokerAway) {
                        // keep going: the client reconnects by itself
                    }
                }
            }, "drill-consumer");
            receiver.start();
            Producer producer = client.producer(topic);
            for (int i = 0; i < total; i++) {
                String id = "m-" + i;
                try {
                    producer.send(Message.builder().payload("x").id(id).build()).whenComplete((r, e) -> {
                        if (e == null) {
                            confirmed.add(id);
                        } else {
                            failedSends.incrementAndGet();
                        }
                    });
                } catch (RuntimeException e) {
                    failedSends.incrementAndGet();
                }
                if (i == total / 3) {
                    broker.kill();
                    broker.restart();
                }
            }
            producer.close(Duration.ofSeconds(30));
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> received.containsAll(confirmed));
            } finally {
                stop.set(true);
                receiver.join(5000);
            }
            return new Result(total, confirmed, failedSends.get(), received, deliveries.get() - received.size());
        }
    }
}
