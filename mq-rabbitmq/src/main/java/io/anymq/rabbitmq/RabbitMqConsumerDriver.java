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
    private final Channel channel;
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
        try {
            this.channel = client.connection().createChannel();
        } catch (IOException | RuntimeException e) {
            throw RabbitMqClientDriver.topologyError("open a channel for group '" + group + "' of topic '" + topic + "'", e);
        }
        try {
            declare(options);
            channel.addShutdownListener(this::channelLost);
            channel.basicQos(Math.min(65_535, Math.max(1, options.maxInFlight())));
            consumerTag = channel.basicConsume(queue, false, "anymq-" + java.util.UUID.randomUUID(), new Receiver(channel));
        } catch (IOException | RuntimeException e) {
            abortQuietly();
            throw RabbitMqClientDriver.topologyError("join group '" + group + "' of topic '" + topic + "'", e);
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
    private void channelLost(ShutdownSignalException cause) {
        int dropped = 0;
        while (arrived.poll() != null) {
            dropped++;
        }
        if (!closed && !cause.isInitiatedByApplication() && !cause.isHardError()) {
            // a channel error (not a lost connection): amqp-client does not recover such a channel
            dead = "RabbitMQ closed its channel: " + cause.getMessage();
        }
        if (!closed && !cause.isInitiatedByApplication()) {
            LOG.warn("consumer of group '{}' on '{}' lost its channel ({}); {} prefetched messages will be redelivered after recovery",
                    group, topic, cause.getMessage(), dropped);
        }
    }

    private final class Receiver extends DefaultConsumer {
        Receiver(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            arrived.add(new Arrived(envelope, properties, body));
        }

        @Override
        public void handleCancel(String tag) {
            LOG.warn("RabbitMQ cancelled the consumer of group '{}' on '{}' (was queue {} deleted?)", group, topic, queue);
            dead = "RabbitMQ cancelled it (was the queue " + queue + " deleted?)";
        }
    }

    private record Arrived(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
        failIfDead();
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

    private CompletableFuture<Void> onChannel(String what, ChannelOp op) {
        try {
            synchronized (settleLock) {
                op.run();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new ConnectionException(what + " failed: the channel to RabbitMQ is down ("
                    + RabbitMqConnections.describe(e) + "); the message will be redelivered", e));
        }
    }

    private interface ChannelOp {
        void run() throws IOException;
    }

    /** A message of the group's queue delivered to this consumer (its delivery tag on this channel). */
    private final class QueuedMessage extends AbstractDriverDelivery {
        private final long tag;
        private final AMQP.BasicProperties properties;
        private final byte[] body;

        QueuedMessage(Arrived a) {
            super(RabbitMqMessages.fromAmqp(a.envelope(), a.properties(), a.body()),
                    RabbitMqMessages.priorDeliveries(a.properties(), queue) + RabbitMqMessages.brokerRedeliveries(a.properties()) + 1);
            this.tag = a.envelope().getDeliveryTag();
            this.properties = a.properties();
            this.body = a.body();
        }

        @Override
        public CompletableFuture<Void> ack() {
            return onChannel("ack of message " + message().id(), () -> channel.basicAck(tag, false));
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (delay.isZero()) {
                return release();
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
            return onChannel("reject of message " + message().id(), () -> channel.basicReject(tag, false));
        }

        @Override
        public CompletableFuture<Void> release() {
            return onChannel("release of message " + message().id(), () -> channel.basicNack(tag, false, true));
        }
    }
}
