package io.anymq.it;

import io.anymq.ConsumerOptions;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.tck.StreamCheck;
import io.anymq.tck.TckReport;

import java.time.Duration;
import java.util.Set;

/**
 * The broker-restart fault test every at-least-once backend runs: a producer streams numbered
 * messages, a consumer acks them, and a third of the way in the broker is killed with
 * {@code kill -9} and restarted on the same port. Neither side is helped: they must recover by
 * themselves. Afterwards every message whose send completed must have arrived. The stream and its count are
 * mq-tck's {@link StreamCheck}, the one the suite's fault scenarios use.
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
        try (MessagingClient client = Messaging.connect(url)) {
            // the consumer exists before the first send: a backend without replay (LATEST only) gets every message too
            StartPosition start = DrillBackends.earliestPossible(client);
            // the count of the suite's fault scenarios (mq-tck): ids m-0, m-1, ...
            StreamCheck check = new StreamCheck("m", client::producer);
            check.join(client.consumer(ConsumerOptions.builder(topic, "drill").startPosition(start).ackTimeout(ackTimeout).build()));
            TckReport.Tally tally = check.run(topic, 1, total, i -> {
                if (i == total / 3) {
                    broker.kill();
                    broker.restart();
                }
            }, Duration.ofSeconds(90));
            return new Result(total, check.confirmed(), (int) check.failedSends(), check.received(), (int) tally.duplicates());
        }
    }
}
