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
    private static final Object WAKEUP = new Object();

    private final RabbitMqClientDriver client;
    private final String topic;
    private final String group;
    private final String queue;
    private final int maxDeliveries;
    private final String deadLetterExchange;
    private final boolean countsDeliveries;
    private final Channel channel;
    private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Object settleLock = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean wakeupPending = new java.util.concurrent.atomic.AtomicBoolean();
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

    /** The channel is gone (connection lost): what waits here will be redelivered by RabbitMQ; drop it. */
    private void channelLost(ShutdownSignalException cause) {
        int dropped = 0;
        Object o;
        List<Object> keep = new ArrayList<>();
        while ((o = arrived.poll()) != null) {
            if (o == WAKEUP) {
                keep.add(o);
            } else {
                dropped++;
            }
        }
        arrived.addAll(keep);
        if (!closed && !cause.isInitiatedByApplication() && !cause.isHardError()) {
            // a channel error (not a lost connection): amqp-client does not recover such a channel
            dead = "RabbitMQ closed its channel: " + cause.getMessage();
            wakeup();
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
            wakeup();
        }
    }

    private record Arrived(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    }

    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.isEmpty()) {
            long left = deadline - System.nanoTime();
            Object first = left > 0 ? arrived.poll(left, TimeUnit.NANOSECONDS) : arrived.poll();
            if (first == WAKEUP) {
                wakeupPending.set(false);
                String why = dead;
                if (why != null && !closed) {
                    wakeupPending.set(true);
                    arrived.add(WAKEUP); // every later poll fails too
                    throw new MessagingException("the consumer of group '" + group + "' on topic '" + topic + "' can receive no more: "
                            + why + "; close it and make a new one", false);
                }
                return out;
            }
            if (first == null) {
                return out;
            }
            accept((Arrived) first, out);
            Object more;
            while (out.size() < max && (more = arrived.peek()) != null && more != WAKEUP) {
                accept((Arrived) arrived.poll(), out);
            }
            if (out.isEmpty() && left <= 0) {
                return out;
            }
        }
        return out;
    }

    /** Adds the delivery, unless it is already over the maximum deliveries: then it is dead-lettered here. */
    private void accept(Arrived a, List<DriverDelivery> out) {
        Delivery d = new Delivery(a);
        if (maxDeliveries > 0 && countsDeliveries && d.count > maxDeliveries) {
            d.exhausted().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("dead-lettering message {} of group '{}' failed; it stays in the queue: {}", d.message.id(), group, e.toString());
                }
            });
            return;
        }
        out.add(d);
    }

    @Override
    public void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            arrived.add(WAKEUP); // at most one in the queue
        }
    }

    /** RabbitMQ dead-letters rejected messages (dead-letter exchange) and exhausted ones (delivery limit). */
    @Override
    public boolean handlesDeadLetter() {
        return true;
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

    /** One delivery of a message from the group's queue. */
    private final class Delivery implements DriverDelivery {
        private final long tag;
        private final AMQP.BasicProperties properties;
        private final byte[] body;
        private final Message message;
        private final int count;

        Delivery(Arrived a) {
            this.tag = a.envelope().getDeliveryTag();
            this.properties = a.properties();
            this.body = a.body();
            this.message = RabbitMqMessages.fromAmqp(a.envelope(), a.properties(), a.body());
            this.count = RabbitMqMessages.priorDeliveries(properties, queue) + RabbitMqMessages.brokerRedeliveries(properties) + 1;
        }

        @Override
        public Message message() {
            return message;
        }

        @Override
        public int deliveryCount() {
            return count;
        }

        @Override
        public CompletableFuture<Void> ack() {
            return onChannel("ack of message " + message.id(), () -> channel.basicAck(tag, false));
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            if (maxDeliveries > 0 && countsDeliveries && count >= maxDeliveries) {
                return exhausted();
            }
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
            headers.put(RabbitMqMessages.DELIVERED, count + "@" + queue);
            return resendThenAck(RabbitMqNames.DELAY_EXCHANGE, queue, true, headers, "nack of message " + message.id() + " (delay " + bucket + " ms)");
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
         * Over the maximum deliveries. When RabbitMQ's own count is the whole count, requeueing lets
         * the queue's delivery limit dead-letter it (reason {@code delivery_limit}); after delays
         * (which RabbitMQ does not count), a copy with the SDK's dead-letter headers goes to the
         * dead-letter topic, and the original is acked; without a dead-letter topic it is dropped.
         */
        CompletableFuture<Void> exhausted() {
            if (RabbitMqMessages.priorDeliveries(properties, queue) == 0 && count == maxDeliveries) {
                return release();
            }
            if (deadLetterExchange == null) {
                return reject();
            }
            Map<String, Object> headers = RabbitMqMessages.headersForResend(properties);
            headers.put(ReservedHeaders.DEAD_LETTER_REASON, "max-deliveries");
            headers.put(ReservedHeaders.ORIGINAL_TOPIC, topic);
            headers.put(ReservedHeaders.ORIGINAL_GROUP, group);
            headers.put(ReservedHeaders.DELIVERY_COUNT, Integer.toString(count));
            return resendThenAck(deadLetterExchange, "", false, headers, "dead-lettering of message " + message.id());
        }

        @Override
        public CompletableFuture<Void> reject() {
            return onChannel("reject of message " + message.id(), () -> channel.basicReject(tag, false));
        }

        @Override
        public CompletableFuture<Void> release() {
            return onChannel("release of message " + message.id(), () -> channel.basicNack(tag, false, true));
        }
    }
}
