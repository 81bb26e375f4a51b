package io.anymq.it;

import io.anymq.ConsumerOptions;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.tck.StreamCheck;
import io.anymq.tck.TckReport;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The broker-restart fault test every at-least-once backend runs: a producer streams numbered
 * messages, a consumer acks them, and a third of the way in the broker is killed with
 * {@code kill -9} and restarted on the same port. Neither side is helped: they must recover by
 * themselves. Afterwards every message whose send completed must have arrived. The stream and its count are
 * mq-tck's {@link StreamCheck}, the one the suite's fault scenarios use.
 */
public final class BrokerRestartDrill {
    /** How long the drill waits, after the producer's close, for every send to settle and every confirmed message to arrive. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** How long without a new message (after the last send, something confirmed missing) counts as stalled. */
    private static final Duration STALL = Duration.ofSeconds(10);

    /**
     * What happened: completed and failed sends, sends neither (in doubt at the end), distinct messages received,
     * duplicate deliveries, when things happened, and what the broker said of the group if it stalled.
     */
    public record Result(int sent, Set<String> confirmed, int failedSends, long unsettledSends, Set<String> received,
                         int duplicates, String timeline, String stalledGroup) {
        /** The confirmed ids that never arrived, in sending order. */
        public List<String> lost() {
            return confirmed.stream().filter(id -> !received.contains(id))
                    .sorted(Comparator.comparingInt(id -> Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)))).toList();
        }

        /**
         * Fails, naming how many and which confirmed messages never arrived, when it happened and what the broker
         * said of the group when the stream stalled, unless every confirmed message arrived and more than half of
         * the sends were confirmed.
         */
        public void assertRecovered(String label) {
            List<String> lost = lost();
            if (!lost.isEmpty()) {
                throw new AssertionError(label + ": " + lost.size() + " of " + confirmed.size() + " confirmed messages never arrived "
                        + "(first " + lost.subList(0, Math.min(20, lost.size())) + "); " + this
                        + (stalledGroup.isEmpty() ? "" : "; the broker's view of the group when the stream stalled: " + stalledGroup));
            }
            if (confirmed.size() <= sent / 2) {
                throw new AssertionError(label + ": only " + confirmed.size() + " of " + sent + " sends confirmed; " + this);
            }
        }

        @Override
        public String toString() {
            return sent + " sent, " + confirmed.size() + " confirmed, " + failedSends + " failed sends, "
                    + (unsettledSends > 0 ? unsettledSends + " sends neither confirmed nor failed, " : "")
                    + received.size() + " received, " + duplicates + " duplicate deliveries (" + timeline + ")";
        }
    }

    private BrokerRestartDrill() {
    }

    /** Runs the drill against the broker through the URL (which may add options to the broker's own URL). */
    public static Result run(Broker broker, String url, String topic, int total) throws InterruptedException {
        return run(broker, url, topic, total, Duration.ofSeconds(5), t -> "");
    }

    /** The same with the consumer's ack timeout given (for brokers with a minimum, such as RocketMQ's 10 s invisible time). */
    public static Result run(Broker broker, String url, String topic, int total, Duration ackTimeout) throws InterruptedException {
        return run(broker, url, topic, total, ackTimeout, t -> "");
    }

    /**
     * The same, asking {@code groupState} (given the topic) what the broker says of the drill's group (its consumers,
     * what it holds back) when the stream stalls: no new message for {@link #STALL} after the last send while
     * confirmed ones are missing. The answer goes into the result (for the failure's message) and to standard output.
     */
    public static Result run(Broker broker, String url, String topic, int total, Duration ackTimeout,
                             Function<String, String> groupState) throws InterruptedException {
        try (MessagingClient client = Messaging.connect(url)) {
            // the consumer exists before the first send: a backend without replay (LATEST only) gets every message too
            StartPosition start = DrillBackends.earliestPossible(client);
            // the count of the suite's fault scenarios (mq-tck): ids m-0, m-1, ...
            StreamCheck check = new StreamCheck("m", client::producer);
            check.join(client.consumer(ConsumerOptions.builder(topic, "drill").startPosition(start).ackTimeout(ackTimeout).build()));
            Progress progress = new Progress(check, () -> groupState.apply(topic));
            TckReport.Tally tally = check.run(topic, 1, total, i -> {
                if (i == total / 3) {
                    progress.mark("killed");
                    broker.kill();
                    broker.restart();
                    progress.mark("back");
                }
                if (i == total - 1) {
                    progress.mark("last send");
                    progress.watchForStall();
                }
            }, WAIT);
            progress.mark("end");
            progress.stop();
            return new Result(total, check.confirmed(), (int) check.failedSends(), check.unsettledSends(), check.received(),
                    (int) tally.duplicates(), progress.timeline(), progress.stalledGroup());
        }
    }

    /** When the drill's steps happened and when the last new message came; asks the group's state once if the stream stalls. */
    private static final class Progress {
        private final long start = System.nanoTime();
        private final StreamCheck check;
        private final java.util.function.Supplier<String> groupState;
        private final StringBuilder timeline = new StringBuilder();
        private volatile String stalledGroup = "";
        private volatile Thread watcher;

        Progress(StreamCheck check, java.util.function.Supplier<String> groupState) {
            this.check = check;
            this.groupState = groupState;
        }

        synchronized void mark(String step) {
            timeline.append(timeline.length() == 0 ? "" : ", ").append(step).append(" at ").append(seconds(System.nanoTime()));
        }

        /** From now on, notes the last new message, and asks the group's state once when none came for STALL. */
        void watchForStall() {
            Thread t = new Thread(() -> {
                int seen = check.receivedCount();
                long lastNew = System.nanoTime();
                boolean asked = false;
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        int now = check.receivedCount();
                        if (now != seen) {
                            seen = now;
                            lastNew = System.nanoTime();
                        } else if (!asked && System.nanoTime() - lastNew > STALL.toNanos() && !check.received().containsAll(check.confirmed())) {
                            asked = true;
                            stalledGroup = "(" + seconds(System.nanoTime()) + ", " + seen + " received) " + describe();
                            System.out.println("restart drill: no new message for " + STALL.toSeconds() + " s with confirmed ones missing; "
                                    + "the broker says of the group: " + stalledGroup);
                        }
                        Thread.sleep(200);
                    }
                } catch (InterruptedException stopped) {
                    // the drill ended
                } finally {
                    synchronized (this) {
                        timeline.append(", last new message at ").append(seconds(lastNew));
                    }
                }
            }, "restart-drill-progress");
            t.setDaemon(true);
            watcher = t;
            t.start();
        }

        private String describe() {
            try {
                return groupState.get();
            } catch (RuntimeException e) {
                return "(could not ask: " + e + ")";
            }
        }

        void stop() throws InterruptedException {
            Thread t = watcher;
            if (t != null) {
                t.interrupt();
                t.join(5000);
            }
        }

        synchronized String timeline() {
            return timeline.toString();
        }

        String stalledGroup() {
            return stalledGroup;
        }

        private String seconds(long nanos) {
            return String.format(java.util.Locale.ROOT, "%.1f s", (nanos - start) / 1e9);
        }
    }
}
