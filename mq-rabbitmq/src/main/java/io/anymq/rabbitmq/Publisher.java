package io.anymq.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.anymq.ConnectionException;
import io.anymq.MessagingException;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One channel in confirm mode, used by one thread at a time (the pool lends it out): the publish
 * sequence number and the publish itself are never interleaved with another thread's. Each publish
 * gets a future that completes on the broker's {@code basic.ack}, fails on {@code basic.nack}, and,
 * when asked to, fails when the message came back unroutable ({@code basic.return}, which RabbitMQ
 * sends before the ack). When the channel is lost (connection lost, channel error), every
 * unconfirmed publish fails with a retryable {@link ConnectionException} and the publisher is broken:
 * the pool drops it.
 */
final class Publisher implements ConfirmListener, ReturnListener {
    /** What a publish waits for. */
    private static final class Pending {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        final String returnKey;
        final boolean failOnReturn;
        final String what;
        volatile boolean returned;

        Pending(String returnKey, boolean failOnReturn, String what) {
            this.returnKey = returnKey;
            this.failOnReturn = failOnReturn;
            this.what = what;
        }
    }

    private final Channel channel;
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private volatile boolean broken;

    Publisher(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(this);
        channel.addShutdownListener(this::lost);
    }

    /** Set by the channel's shutdown listener (or a failed publish); no lock on the send path. */
    boolean isBroken() {
        return broken;
    }

    /**
     * Publishes; the future completes on the confirm. {@code returnKey} identifies the message in a
     * {@code basic.return} (its message id); with {@code failOnReturn} a returned message fails with
     * {@link UnroutableMessageException}.
     */
    CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory, boolean failOnReturn,
                                    AMQP.BasicProperties props, byte[] body, String returnKey, String what) {
        Pending p = new Pending(returnKey, failOnReturn, what);
        long seq = channel.getNextPublishSeqNo();
        pending.put(seq, p);
        try {
            channel.basicPublish(exchange, routingKey, mandatory, props, body);
        } catch (IOException | RuntimeException e) {
            pending.remove(seq);
            broken = true;
            p.future.completeExceptionally(new ConnectionException("publishing " + what + " failed: " + RabbitMqConnections.describe(e), e));
        }
        return p.future;
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, true);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, false);
    }

    private void settle(long seq, boolean multiple, boolean ack) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Pending> head = pending.headMap(seq, true);
            Iterator<Map.Entry<Long, Pending>> it = head.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Pending> e = it.next();
                it.remove();
                complete(e.getValue(), ack);
            }
        } else {
            Pending p = pending.remove(seq);
            if (p != null) {
                complete(p, ack);
            }
        }
    }

    private static void complete(Pending p, boolean ack) {
        if (!ack) {
            p.future.completeExceptionally(new MessagingException("RabbitMQ refused " + p.what
                    + " (basic.nack: a queue refused it, for example over its length limit, or the broker failed to store it)", true));
        } else if (p.returned && p.failOnReturn) {
            p.future.completeExceptionally(new UnroutableMessageException(p.what));
        } else {
            p.future.complete(null);
        }
    }

    /** A {@code basic.return} comes before the ack of the same publish: mark the oldest unconfirmed publish of that message. */
    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        String key = returnKeyOf(properties);
        for (Pending p : pending.values()) {
            if (!p.returned && p.returnKey != null && p.returnKey.equals(key)) {
                p.returned = true;
                return;
            }
        }
    }

    static String returnKeyOf(AMQP.BasicProperties properties) {
        if (properties.getMessageId() != null) {
            return properties.getMessageId();
        }
        Object longId = properties.getHeaders() == null ? null : properties.getHeaders().get(RabbitMqMessages.LONG_ID);
        return RabbitMqMessages.text(longId);
    }

    /** The channel is gone: nothing unconfirmed will ever be confirmed on it. */
    private void lost(ShutdownSignalException cause) {
        broken = true;
        failAll(cause);
    }

    private void failAll(Throwable cause) {
        Map.Entry<Long, Pending> e;
        while ((e = pending.pollFirstEntry()) != null) {
            Pending p = e.getValue();
            p.future.completeExceptionally(new ConnectionException("the channel closed before RabbitMQ confirmed " + p.what
                    + " (" + RabbitMqConnections.describe(cause) + "); it may or may not have been stored", cause));
        }
    }

    int unconfirmed() {
        return pending.size();
    }

    /** Closes the channel; whatever is still unconfirmed fails. */
    void close() {
        broken = true;
        try {
            channel.abort(); // also takes a recovering channel out of the connection's recovery
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
        failAll(new IllegalStateException("publisher closed"));
    }
}
