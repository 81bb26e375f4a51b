package io.anymq.it.health;

import io.anymq.ConnectionException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.harness.Broker;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a client says when its broker goes away and comes back: {@code kill -9} of the broker, then
 * a restart on the same port with the same data. Health must leave {@code CONNECTED} within a bound,
 * with a detail naming the broker; a receive must throw {@link ConnectionException} once the
 * connection stayed lost past the consumer's connection-loss timeout; after the restart health must
 * be {@code CONNECTED} again and the same consumer must receive again.
 */
final class HealthDrill {
    /** The consumer's connection-loss timeout in the drill. */
    static final Duration LOSS_TIMEOUT = Duration.ofSeconds(3);

    /** The times measured, from the kill (loss) or from the restart's return (back). */
    record Result(Duration toLeaveConnected, Health lost, Duration toReceiveError, String receiveError,
                  Duration toConnectedAgain, Duration toReceiveAgain) {
        @Override
        public String toString() {
            return "health left CONNECTED " + toLeaveConnected.toMillis() + " ms after kill -9 (" + lost.state() + ": " + lost.detail()
                    + "); receive threw " + toReceiveError.toMillis() + " ms after the kill (" + receiveError + "); CONNECTED "
                    + toConnectedAgain.toMillis() + " ms after the restart, receiving again after " + toReceiveAgain.toMillis() + " ms";
        }
    }

    private HealthDrill() {
    }

    static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Result run(Broker broker, String url, String topic, Duration lossBound) throws Exception {
        try (MessagingClient client = Messaging.connect(url)) {
            assertThat(client.health().state()).isEqualTo(Health.State.CONNECTED);
            assertThat(client.health().usable()).isTrue();
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "health").connectionLossTimeout(LOSS_TIMEOUT).build());
            Producer producer = client.producer(topic);
            roundTrip(producer, consumer, "before", Duration.ofSeconds(60));

            long killed = System.nanoTime();
            broker.kill();
            Health lost = client.health();
            while (lost.state() == Health.State.CONNECTED) {
                if (since(killed).compareTo(lossBound) > 0) {
                    fail("health still CONNECTED " + lossBound + " after kill -9: " + lost);
                }
                Thread.sleep(50);
                lost = client.health();
            }
            Duration leave = since(killed);
            assertThat(lost.usable()).isFalse();
            assertThat(lost.state()).isIn(Health.State.RECONNECTING, Health.State.DISCONNECTED);
            assertThat(lost.detail()).as("names the broker").contains(String.valueOf(broker.port()));

            ConnectionException error = null;
            while (error == null && since(killed).compareTo(lossBound.plus(LOSS_TIMEOUT).plusSeconds(10)) < 0) {
                try {
                    List<Delivery> got = consumer.receive(16, Duration.ofSeconds(1));
                    got.forEach(d -> d.ack());
                } catch (ConnectionException e) {
                    error = e;
                } catch (MessagingException other) {
                    System.out.println("receive while the broker is away: " + other);
                    assertThat(other.isRetryable()).as(other.toString()).isTrue();
                }
            }
            assertThat(error).as("a receive says the connection is lost").isNotNull();
            Duration toError = since(killed);
            assertThat(error.getMessage()).isNotBlank();

            broker.restart();
            long restarted = System.nanoTime();
            while (client.health().state() != Health.State.CONNECTED) {
                if (since(restarted).compareTo(Duration.ofSeconds(120)) > 0) {
                    fail("health not CONNECTED 120 s after the restart: " + client.health());
                }
                Thread.sleep(100);
            }
            Duration back = since(restarted);
            roundTrip(producer, consumer, "after", Duration.ofSeconds(120));
            Duration again = since(restarted);
            client.close();
            assertThat(client.health().state()).isEqualTo(Health.State.CLOSED);
            return new Result(leave, lost, toError, error.getMessage(), back, again);
        }
    }

    /**
     * Sends until the consumer gets one of these messages (a consumer at the latest position may miss
     * the first ones while it joins; an at-most-once backend drops what came while it reconnected).
     */
    private static void roundTrip(Producer producer, Consumer consumer, String tag, Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        int n = 0;
        while (since(start).compareTo(bound) < 0) {
            try {
                producer.send(Message.of(tag + "-" + n++));
            } catch (RuntimeException sendFailed) {
                // the broker may still be coming back
            }
            try {
                for (Delivery d : consumer.receive(64, Duration.ofSeconds(1))) {
                    d.ack();
                    if (d.message().payloadAsString().startsWith(tag + "-")) {
                        return;
                    }
                }
            } catch (MessagingException stillComingBack) {
                // a lost connection (or, on memcached, the messages a restart dropped) is said once: then receiving works again
                assertThat(stillComingBack.isRetryable()).as(stillComingBack.toString()).isTrue();
                Thread.sleep(200);
            }
        }
        fail("no '" + tag + "' message came back within " + bound);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
