package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.anymq.ConnectionException;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.MessagingException;
import io.anymq.SettlementException;
import io.anymq.spi.AbstractDriverDelivery;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReservedHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A member of a group: a consumer on the group's queue, on a channel of its own, with a prefetch
 * (QoS) of the consumer's in-flight bound. RabbitMQ pushes up to that many unacked messages; they
 * wait in a queue in this object until {@link #poll} hands them out.
 *
 * <p>Settlement, on this consumer's channel (amqp-client serializes each frame; the channel is
 * only used for consuming and settling): ack is {@code basic.ack}; reject is {@code basic.reject}
 * without requeue, so that RabbitMQ dead-letters it through the queue's dead-letter exchange;
 * nack with no delay is {@code basic.nack} with requeue (the quorum queue counts the delivery);
 * nack with a delay publishes a copy, with a confirm, to the delay queue of that delay, then acks
 * the original: the delay is kept by RabbitMQ, and a crash in between can only duplicate it.
 *
 * <p>RabbitMQ closes the channel of a consumer that keeps a delivery unacknowledged past its {@code consumer_timeout}
 * (30 minutes by default; prefetched messages not handed out yet count too) and gives every unacknowledged message back.
 * The next {@link #poll} opens a new channel and consumes again; a settlement of a delivery of the closed channel fails
 * with {@code SettlementException(EXPIRED)} (its release does nothing: RabbitMQ gave the message back already).
 */
final class RabbitMqConsumerDriver implements ConsumerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqConsumerDriver.class);

    private final RabbitMqClientDriver client;
    private final String topic;
    private final String group;
    private final String queue;
    private final int maxDeliveries;
    private final String deadLetterExchange;
    private final boolean countsDeliveries;
    private final int prefetch;
    private final String tag = "anymq-" + java.util.UUID.randomUUID();
    /** The consuming channel; replaced after RabbitMQ closed it for the consumer timeout (under {@link #settleLock}). */
    private volatile Channel channel;
    /** Set when RabbitMQ closed the channel for its consumer timeout: the next poll opens a new one. */
    private volatile String timedOut;
    private final LinkedBlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
    private final Object settleLock = new Object();
    private volatile String consumerTag;
    /** Why this consumer can receive no more (its channel closed by a channel error, or RabbitMQ cancelled it); null while it can. */
    private volatile String dead;
    private volatile boolean closed;

    RabbitMqConsumerDriver(RabbitMqClientDriver client, ConsumerOptions options) {
        this.client = client;
        this.topic = options.topic();
        this.group = options.group();
        this.queue = RabbitMqNames.queue(topic, group);
        this.maxDeliveries = options.maxDeliveries();
        this.deadLetterExchange = options.deadLetterTopic() == null ? null : RabbitMqNames.exchange(options.deadLetterTopic());
        this.countsDeliveries = client.settings().quorum();
        this.prefetch = Math.min(65_535, Math.max(1, options.maxInFlight()));
        try {
            this.channel = client.connection().createChannel();
        } catch (IOException | RuntimeException e) {
            throw RabbitMqClientDriver.topologyError("open a channel for group '" + group + "' of topic '" + topic + "'", e);
        }
        try {
            declare(options);
            consume(channel);
        } catch (IOException | RuntimeException e) {
            abortQuietly();
            throw RabbitMqClientDriver.topologyError("join group '" + group + "' of topic '" + topic + "'", e);
        }
    }

    private void consume(Channel ch) throws IOException {
        ch.addShutdownListener(cause -> channelLost(ch, cause));
        ch.basicQos(prefetch);
        consumerTag = ch.basicConsume(queue, false, tag, new Receiver(ch));
    }

    /** After RabbitMQ closed the channel for its consumer timeout: a new channel, consuming again. */
    private void reopen() {
        synchronized (settleLock) {
            if (timedOut == null || closed) {
                return;
            }
            Channel closedOne = channel;
            Channel ch = null;
            try {
                ch = client.connection().createChannel();
                channel = ch; // before consuming: channelLost only heeds the current channel
                consume(ch);
                timedOut = null;
                LOG.info("consumer of group '{}' on '{}' consumes again on a new channel", group, topic);
            } catch (IOException | RuntimeException e) {
                // tried again at the next poll (the connection may be recovering); this channel is not kept
                channel = closedOne;
                if (ch != null) {
                    try {
                        ch.abort();
                    } catch (IOException | RuntimeException ignored) {
                        // already gone
                    }
                }
                LOG.debug("consumer of group '{}' on '{}' could not consume again yet: {}", group, topic, e.toString());
            }
        }
    }

    /**
     * The topic's exchange, the group's queue bound to it (and to {@code anymq:redeliver} under its
     * own name, for delayed nacks), and the dead-letter topic's exchange. A queue's arguments (type,
     * dead-letter exchange, delivery limit) are fixed when the group is first made.
     */
    private void declare(ConsumerOptions options) throws IOException {
        String exchange = RabbitMqNames.exchange(topic);
        channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", client.settings().quorum() ? "quorum" : "classic");
        if (deadLetterExchange != null) {
            channel.exchangeDeclare(deadLetterExchange, BuiltinExchangeType.FANOUT, true);
            args.put("x-dead-letter-exchange", deadLetterExchange);
        }
        if (maxDeliveries > 0 && countsDeliveries) {
            // RabbitMQ dead-letters once a message was returned more often than the limit: N deliveries = limit N - 1
            args.put("x-delivery-limit", maxDeliveries - 1);
        }
        channel.queueDeclare(queue, true, false, false, args);
        channel.queueBind(queue, exchange, "");
        client.ensureDelayTopology();
        channel.queueBind(queue, RabbitMqNames.REDELIVER_EXCHANGE, queue);
    }

    /**
     * The group's queue depth: the ready messages of a passive {@code queue.declare} (one round trip on the client's
     * management channel, not this consumer's: a failure there cannot close the consuming channel), plus the messages
     * RabbitMQ pushed to this member (its prefetch) that {@link #poll} has not handed out yet. Messages unacked at
     * the application, and those prefetched by other members of the group, are not counted (RabbitMQ counts them as
     * unacked, and only their own member knows which it has handed out). Empty after close.
     */
    @Override
    public java.util.OptionalLong lag() {
        if (closed) {
            return java.util.OptionalLong.empty();
        }
        long[] ready = new long[1];
        client.manage("ask the depth of the queue of group '" + group + "' on '" + topic + "'",
                ch -> ready[0] = ch.queueDeclarePassive(queue).getMessageCount());
        return java.util.OptionalLong.of(ready[0] + arrived.size());
    }

    /** The channel is gone (connection lost): what waits here will be redelivered by RabbitMQ; drop it. */
    private void channelLost(Channel ch, ShutdownSignalException cause) {
        if (ch != channel) {
            return; // a channel this consumer no longer uses
        }
        int dropped = 0;
        while (arrived.poll() != null) {
            dropped++;
        }
        if (!closed && !cause.isInitiatedByApplication() && !cause.isHardError()) {
            // a channel error (not a lost connection): amqp-client does not recover such a channel
            if (consumerTimeout(cause)) {
                timedOut = cause.getMessage();
            } else {
                dead = "RabbitMQ closed its channel: " + cause.getMessage();
            }
        }
        if (!closed && !cause.isInitiatedByApplication()) {
            LOG.warn("consumer of group '{}' on '{}' lost its channel ({}); {} prefetched messages will be redelivered after recovery",
                    group, topic, cause.getMessage(), dropped);
        }
    }

    /** RabbitMQ's consumer timeout: 406 PRECONDITION_FAILED, "delivery acknowledgement on channel N timed out". */
    static boolean consumerTimeout(ShutdownSignalException cause) {
        String text = String.valueOf(cause.getMessage());
        return text.contains("PRECONDITION_FAILED") && text.contains("delivery acknowledgement") && text.contains("timed out");
    }

    private final class Receiver extends DefaultConsumer {
        Receiver(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            arrived.add(new Arrived(getChannel(), envelope, properties, body));
        }

        @Override
        public void handleCancel(String tag) {
            LOG.warn("RabbitMQ cancelled the consumer of group '{}' on '{}' (was queue {} deleted?)", group, topic, queue);
            dead = "RabbitMQ cancelled it (was the queue " + queue + " deleted?)";
        }
    }

    private record Arrived(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
        failIfDead();
        if (timedOut != null) {
            reopen();
        }
        Arrived first = arrived.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            failIfDead();
            return out;
        }
        out.add(new QueuedMessage(first));
        Arrived more;
        while (out.size() < max && (more = arrived.poll()) != null) {
            out.add(new QueuedMessage(more));
        }
        return out;
    }

    /** A consumer whose channel RabbitMQ closed or whose consumer it cancelled can receive no more: every poll says so. */
    private void failIfDead() {
        String why = dead;
        if (why != null && !closed) {
            throw new MessagingException("the consumer of group '" + group + "' on topic '" + topic + "' can receive no more: "
                    + why + "; close it and make a new one", false);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            String tag = consumerTag;
            if (tag != null && channel.isOpen()) {
                channel.basicCancel(tag);
            }
        } catch (IOException | RuntimeException ignored) {
            // the channel is going anyway
        }
        try {
            if (channel.isOpen()) {
                channel.close(); // RabbitMQ gives back every unacked message, prefetched ones included
            } else {
                channel.abort();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            abortQuietly();
        }
        arrived.clear();
    }

    private void abortQuietly() {
        try {
            channel.abort();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    /**
     * A settlement on the channel the delivery came on. If RabbitMQ has closed that channel for its consumer timeout, it
     * gave the message back already: a release has nothing left to do, anything else fails as {@code EXPIRED}.
     */
    private CompletableFuture<Void> onChannel(String what, Channel via, boolean release, ChannelOp op) {
        try {
            synchronized (settleLock) {
                if (takenBack(via)) {
                    return release ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(takenBack(what));
                }
                op.run();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new ConnectionException(what + " failed: the channel to RabbitMQ is down ("
                    + RabbitMqConnections.describe(e) + "); the message will be redelivered", e));
        }
    }

    /** Whether RabbitMQ closed the channel a delivery came on for its consumer timeout (and gave the message back). */
    private boolean takenBack(Channel via) {
        return via != channel || timedOut != null;
    }

    private SettlementException takenBack(String what) {
        return new SettlementException(SettlementException.Reason.EXPIRED, what + " came too late: RabbitMQ closed the consumer's "
                + "channel, as a delivery stayed unacknowledged past its consumer_timeout, and gave the message back to group '"
                + group + "' (it is delivered again)");
    }

    private interface ChannelOp {
        void run() throws IOException;
    }

    /** A message of the group's queue delivered to this consumer (its delivery tag on this channel). */
    private final class QueuedMessage extends AbstractDriverDelivery {
        private final long tag;
        private final Channel via;
        private final AMQP.BasicProperties properties;
        private final byte[] body;

        QueuedMessage(Arrived a) {
            super(RabbitMqMessages.fromAmqp(a.envelope(), a.properties(), a.body()),
                    RabbitMqMessages.priorDeliveries(a.properties(), queue) + RabbitMqMessages.brokerRedeliveries(a.properties()) + 1);
            this.tag = a.envelope().getDeliveryTag();
            this.via = a.channel();
            this.properties = a.properties();
            this.body = a.body();
        }

        @Override
        public CompletableFuture<Void> ack() {
            return onChannel("ack of message " + message().id(), via, false, () -> via.basicAck(tag, false));
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (delay.isZero()) {
                return release();
            }
            if (takenBack(via)) {
                return CompletableFuture.failedFuture(takenBack("nack of message " + message().id())); // before a copy is sent
            }
            long bucket;
            try {
                bucket = client.ensureDelayQueue(Math.max(1, delay.toMillis() + (delay.toNanosPart() % 1_000_000 > 0 ? 1 : 0)));
            } catch (MessagingException e) {
                release();
                return CompletableFuture.failedFuture(e);
            }
            Map<String, Object> headers = RabbitMqMessages.headersForResend(properties);
            headers.put(RabbitMqMessages.DELAY, Long.toString(bucket));
            headers.put(RabbitMqMessages.DELIVERED, deliveryCount() + "@" + queue);
            return resendThenAck(RabbitMqNames.DELAY_EXCHANGE, queue, true, headers, "nack of message " + message().id() + " (delay " + bucket + " ms)");
        }

        /** Publishes a copy (confirmed), then acks this delivery; if the copy fails, the message goes back to the queue. */
        private CompletableFuture<Void> resendThenAck(String exchange, String routingKey, boolean mandatory, Map<String, Object> headers, String what) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            client.publish(exchange, routingKey, mandatory, mandatory, RabbitMqMessages.withHeaders(properties, headers), body,
                    Publisher.returnKeyOf(properties), what).whenComplete((v, e) -> {
                        if (e != null) {
                            release();
                            done.completeExceptionally(e);
                        } else {
                            ack().whenComplete((v2, e2) -> {
                                if (e2 != null) {
                                    done.completeExceptionally(e2);
                                } else {
                                    done.complete(null);
                                }
                            });
                        }
                    });
            return done;
        }

        /**
         * The dead-letter move RabbitMQ does itself, atomically, through the queue's dead-letter
         * exchange (the topic's exchange): a reject without requeue for a rejected message; a requeue
         * for one over the maximum deliveries when RabbitMQ's own count is the whole count (the queue's
         * delivery limit then dead-letters it, reason {@code delivery_limit}). After delays, which
         * RabbitMQ does not count, null: the core sends the copy, then acks.
         */
        @Override
        public CompletableFuture<Void> deadLetter(String deadLetterTopic, Message forwarded) {
            if (deadLetterExchange == null || !deadLetterExchange.equals(RabbitMqNames.exchange(deadLetterTopic))) {
                return null;
            }
            String reason = forwarded.header(ReservedHeaders.DEAD_LETTER_REASON);
            if ("rejected".equals(reason)) {
                return reject();
            }
            if (countsDeliveries && RabbitMqMessages.priorDeliveries(properties, queue) == 0 && deliveryCount() == maxDeliveries) {
                return release();
            }
            return null;
        }

        @Override
        public CompletableFuture<Void> reject() {
            return onChannel("reject of message " + message().id(), via, false, () -> via.basicReject(tag, false));
        }

        @Override
        public CompletableFuture<Void> release() {
            return onChannel("release of message " + message().id(), via, true, () -> via.basicNack(tag, false, true));
        }
    }
}
