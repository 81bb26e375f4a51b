package io.anymq.bridge;

import io.anymq.ConfigurationException;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.MessagingException;
import io.anymq.Names;
import io.anymq.StartPosition;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Copies one topic from a source broker to a destination broker, at-least-once, through the neutral
 * API only (any two backends on the class path).
 *
 * <ul>
 *   <li>The bridge reads as a member of a group of the source topic; the group's position is its
 *       state. Stop it (or kill it) and start it again with the same group: it goes on where the
 *       group stands, nothing is missed.</li>
 *   <li>A message is acked at the source only after the destination confirmed the send. Id, key,
 *       headers, timestamp and payload travel unchanged (a delivery time does not: the message was
 *       already due). A crash between the confirm and the ack copies the message again, with the same
 *       id; {@link #notes()} says whether the destination drops such a copy.</li>
 *   <li>A send that fails with a retryable error is tried again with back-off, as long as it takes;
 *       the message is not acked meanwhile. A message the destination refuses for good (too large, a
 *       header it cannot carry) goes to the dead-letter destination, then is acked; without one the
 *       bridge stops with an error and leaves the message at the source.</li>
 *   <li>With {@code concurrency} &gt; 1, messages go through that many lanes, chosen by key: one key
 *       always takes the same lane. Where both sides declare {@code KEY_ORDERING} a lane sends one
 *       message at a time (per-key order kept, retries included); otherwise a lane pipelines its sends.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Bridge bridge = Bridge.builder()
 *         .source("amqp://rabbit:5672").sourceTopic("orders").group("to-kafka").startPosition(StartPosition.EARLIEST)
 *         .destination("kafka://kafka:9092").destinationTopic("orders")
 *         .deadLetter("orders-refused").untilEmpty(true).build()) {
 *     BridgeProgress done = bridge.run();
 * }
 * }</pre>
 *
 * Thread-safe; {@link #close()} may be called from any thread (a shutdown hook, say).
 */
public final class Bridge implements AutoCloseable {
    private final Settings settings;
    private Pump pump;
    private boolean closed;

    private Bridge(Settings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to both sides (and the dead-letter destination), opens the group's consumer and the
     * producers, and starts copying in the background.
     *
     * @throws IllegalStateException when started before, or closed
     * @throws MessagingException    a side cannot be reached, or refuses what the bridge needs
     */
    public synchronized Bridge start() {
        if (closed) {
            throw new IllegalStateException("the bridge is closed");
        }
        if (pump != null) {
            throw new IllegalStateException("the bridge was started already");
        }
        pump = Pump.open(settings);
        pump.begin();
        return this;
    }

    /**
     * Starts the bridge when it is not running yet, and waits until it stops: the source is drained
     * (with {@link Builder#untilEmpty(boolean)}), {@link #close()} was called, or a failure stopped it.
     *
     * @return the final counters
     * @throws MessagingException what stopped the bridge, when something did
     */
    public BridgeProgress run() {
        Pump p;
        synchronized (this) {
            if (pump == null) {
                start();
            }
            p = pump;
        }
        p.awaitDone();
        MessagingException failure = p.failure();
        if (failure != null) {
            throw failure;
        }
        return p.counters().snapshot();
    }

    /** Waits up to the timeout for the bridge to stop; returns whether it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Pump p = current();
        return p == null || p.awaitDone(timeout);
    }

    /** The counters so far (all zero before the start). */
    public BridgeProgress progress() {
        Pump p = current();
        return p == null ? new Counters().snapshot() : p.counters().snapshot();
    }

    /** What the bridge guarantees between these two brokers (empty before the start). */
    public List<String> notes() {
        Pump p = current();
        return p == null ? List.of() : p.notes();
    }

    /** Whether the bridge is copying (started, and not stopped). */
    public boolean isRunning() {
        Pump p = current();
        return p != null && !p.isDone();
    }

    /** What stopped the bridge, or null while it runs or when nothing went wrong. */
    public MessagingException failure() {
        Pump p = current();
        return p == null ? null : p.failure();
    }

    /**
     * Stops gracefully: stops receiving, finishes the sends and acks under way (the messages already
     * received), then closes the consumer, the producers and the clients the bridge made. After the
     * close timeout it gives up on what is still being retried: those messages stay unacked at the
     * source and come again at the next start. Idempotent.
     */
    @Override
    public void close() {
        Pump p;
        synchronized (this) {
            closed = true;
            p = pump;
        }
        if (p != null) {
            p.stop(settings.closeTimeout());
        }
    }

    private synchronized Pump current() {
        return pump;
    }

    @Override
    public String toString() {
        return "Bridge[" + settings.source() + " " + settings.sourceTopic() + " (group " + settings.group() + ") -> "
                + settings.destination() + " " + settings.destinationTopic() + "]";
    }

    /** Builds a {@link Bridge}. Not thread-safe; each {@link #build()} gives an independent bridge. */
    public static final class Builder {
        private Endpoint source;
        private String sourceTopic;
        private String group;
        private StartPosition startPosition = StartPosition.LATEST;
        private Endpoint destination;
        private String destinationTopic;
        private Endpoint deadLetter;
        private String deadLetterTopic;
        private int concurrency = 4;
        private int maxInFlight = 512;
        private boolean untilEmpty;
        private Duration idleTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Duration progressInterval = Duration.ofSeconds(1);
        private BridgeListener listener = new BridgeListener() {
        };

        private Builder() {
        }

        /** The source broker's URL; the bridge connects and closes the client itself. */
        public Builder source(String url) {
            this.source = Endpoint.of(url);
            return this;
        }

        /** A source client the caller owns (the bridge does not close it). */
        public Builder source(MessagingClient client) {
            this.source = Endpoint.of(client);
            return this;
        }

        public Builder sourceTopic(String topic) {
            this.sourceTopic = topic;
            return this;
        }

        /** The source group the bridge reads as; its position is the bridge's state. */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /** Where the group starts when it does not exist yet (default {@code LATEST}); an existing group keeps its place. */
        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /** The destination broker's URL; the bridge connects and closes the client itself. */
        public Builder destination(String url) {
            this.destination = Endpoint.of(url);
            return this;
        }

        /** A destination client the caller owns (the bridge does not close it). */
        public Builder destination(MessagingClient client) {
            this.destination = Endpoint.of(client);
            return this;
        }

        /** The destination topic; the source topic's name when not given. */
        public Builder destinationTopic(String topic) {
            this.destinationTopic = topic;
            return this;
        }

        /** Messages the destination refuses for good go to this topic of the destination. */
        public Builder deadLetter(String topic) {
            this.deadLetter = null;
            this.deadLetterTopic = topic;
            return this;
        }

        /** Messages the destination refuses for good go to this topic of another broker. */
        public Builder deadLetter(String url, String topic) {
            this.deadLetter = Endpoint.of(url);
            this.deadLetterTopic = topic;
            return this;
        }

        /** Messages the destination refuses for good go to this topic through a client the caller owns. */
        public Builder deadLetter(MessagingClient client, String topic) {
            this.deadLetter = Endpoint.of(client);
            this.deadLetterTopic = topic;
            return this;
        }

        /** How many lanes send at once (default 4); one key always takes the same lane. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** How many messages may be received and not yet acked at once (default 512). */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** true: stop when the source is drained (nothing came for the idle timeout); false (default): follow until closed. */
        public Builder untilEmpty(boolean untilEmpty) {
            this.untilEmpty = untilEmpty;
            return this;
        }

        /** With {@link #untilEmpty(boolean)}: how long nothing must come before the source counts as drained (default 10 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The wait before the first retry (default 100 ms), doubled per attempt up to {@code max} (default 5 s). */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How long a send may stay unconfirmed before the bridge sends the message again (default 60 s),
         * for a connection lost in a way the destination's client never reports. The first send may
         * still be stored: a duplicate, never a loss.
         */
        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        /** How long {@link Bridge#close()} waits for sends and acks under way (default 30 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        public Builder listener(BridgeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How often {@link BridgeListener#onProgress} is called (default 1 s). */
        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
            return this;
        }

        /**
         * @throws ConfigurationException a missing side, topic or group, a bad name or number
         */
        public Bridge build() {
            if (source == null) {
                throw new ConfigurationException("the bridge needs a source (a URL or a client)");
            }
            if (destination == null) {
                throw new ConfigurationException("the bridge needs a destination (a URL or a client)");
            }
            if (sourceTopic == null) {
                throw new ConfigurationException("the bridge needs a source topic");
            }
            if (group == null) {
                throw new ConfigurationException("the bridge needs a group: its position at the source is the bridge's state");
            }
            Names.checkTopic(sourceTopic);
            Names.checkGroup(group);
            String dstTopic = destinationTopic != null ? destinationTopic : sourceTopic;
            Names.checkTopic(dstTopic);
            if (deadLetterTopic != null) {
                Names.checkTopic(deadLetterTopic);
                if (deadLetter == null && deadLetterTopic.equals(dstTopic)) {
                    throw new ConfigurationException("the dead-letter topic may not be the destination topic '" + dstTopic + "'");
                }
            }
            if (concurrency < 1 || concurrency > 1024) {
                throw new ConfigurationException("concurrency must be 1 to 1024: " + concurrency);
            }
            if (maxInFlight < 1) {
                throw new ConfigurationException("maxInFlight must be at least 1: " + maxInFlight);
            }
            Objects.requireNonNull(startPosition, "startPosition");
            positive("idleTimeout", idleTimeout);
            positive("initial retry back-off", initialBackoff);
            positive("maximum retry back-off", maxBackoff);
            positive("sendTimeout", sendTimeout);
            positive("closeTimeout", closeTimeout);
            positive("progressInterval", progressInterval);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new ConfigurationException("the maximum retry back-off " + maxBackoff + " is below the initial " + initialBackoff);
            }
            return new Bridge(new Settings(source, sourceTopic, group, startPosition, destination, dstTopic, deadLetter,
                    deadLetterTopic, concurrency, maxInFlight, untilEmpty, idleTimeout, new Backoff(initialBackoff, maxBackoff),
                    sendTimeout, closeTimeout, progressInterval, listener));
        }

        private static void positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigurationException(what + " must be positive: " + d);
            }
            if (d.compareTo(MessagingConfig.MAX_OPTION_DURATION) > 0) { // its deadlines count in nanoseconds
                throw new ConfigurationException(what + " must be at most 100 years (36500 days): " + d);
            }
        }
    }
}
