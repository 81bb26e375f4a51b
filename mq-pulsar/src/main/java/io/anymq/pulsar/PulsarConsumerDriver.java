package io.anymq.pulsar;

import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One member of a group: a native consumer on the group's durable subscription (of the topic, and in
 * Shared and Key_Shared of the group's retry topic too). A poll is one wait on the native receive
 * queue, then whatever else is already there, up to the number asked for.
 */
final class PulsarConsumerDriver implements ConsumerDriver {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String topic;
    private final Consumer<byte[]> consumer;
    private final Retries retries;
    private final EarlyArrivals early = new EarlyArrivals();
    /** Settlements under way, so that close lets them reach the broker first. */
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    /** Tells the client driver that this consumer's connection no longer counts for health. */
    private final Runnable onClose;

    /** The subscription's backlog, asked of the admin API. */
    private final java.util.function.Supplier<java.util.OptionalLong> backlog;

    PulsarConsumerDriver(String topic, Consumer<byte[]> consumer, Retries retries, Runnable onClose,
                         java.util.function.Supplier<java.util.OptionalLong> backlog) {
        this.topic = topic;
        this.backlog = backlog;
        this.consumer = consumer;
        this.retries = retries;
        this.onClose = onClose;
    }

    /**
     * Hands out held messages that are due, then waits once (at most the timeout, and no longer than
     * until the next held message is due) and takes what the native queue has, holding back what came
     * early (see {@link EarlyArrivals}). May return an empty list before the timeout.
     */
    @Override
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        List<DriverDelivery> out = new ArrayList<>(Math.min(max, 64));
        long now = System.currentTimeMillis();
        Message<byte[]> due;
        while (out.size() < max && (due = early.nextDue(now)) != null) {
            out.add(delivery(due));
        }
        long wait = out.isEmpty() ? Math.min(Math.max(0, timeout.toMillis()), early.millisToNextDue(now)) : 0;
        try {
            Message<byte[]> next = receive(wait);
            while (next != null) {
                if (!early.holdIfEarly(next, System.currentTimeMillis())) {
                    out.add(delivery(next));
                }
                if (out.size() >= max) {
                    break;
                }
                next = receive(0);
            }
        } catch (InterruptedException e) {
            if (out.isEmpty()) {
                throw e;
            }
            // what was taken is returned (the client holds it as received); the next wait sees the interrupt
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private Message<byte[]> receive(long timeoutMs) throws InterruptedException {
        try {
            return consumer.receive((int) timeoutMs, TimeUnit.MILLISECONDS);
        } catch (PulsarClientException e) {
            if (Thread.interrupted() || e.getCause() instanceof InterruptedException) {
                throw new InterruptedException("interrupted while receiving from '" + topic + "'");
            }
            throw PulsarErrors.map(e, "Pulsar could not receive from '" + topic + "'");
        }
    }

    /**
     * The delivery count: the times the message went through the retry topic (stored with it), plus
     * the broker's redelivery count of this copy (kept in the broker's memory), plus one.
     */
    private PulsarDelivery delivery(Message<byte[]> m) {
        int count = PulsarMessages.reconsumeTimes(m) + Math.max(0, m.getRedeliveryCount()) + 1;
        return new PulsarDelivery(this, consumer, m, PulsarMessages.toMessage(m, topic), count);
    }

    Retries retries() {
        return retries;
    }

    /** Maps the outcome to the SDK's errors, and remembers the settlement until it is done. */
    CompletableFuture<Void> track(CompletableFuture<Void> settlement, String what) {
        CompletableFuture<Void> mapped = settlement.handle((v, e) -> {
            if (e != null) {
                throw PulsarErrors.map(e, "Pulsar could not " + what + " a message of '" + topic + "'");
            }
            return null;
        });
        pending.add(mapped);
        mapped.whenComplete((v, e) -> pending.remove(mapped));
        return mapped;
    }

    /**
     * The subscription's {@code msgBacklog} through the admin REST API at {@code admin-url} (the client protocol tells
     * a consumer no backlog): messages the group has not acked, in flight ones included (Pulsar dispatches up to each
     * member's receiver queue at once, so "not dispatched yet" would read 0 while the application has received nothing).
     * Nacked messages waiting in the group's retry topic are not counted. Throws when the admin API cannot be asked.
     */
    @Override
    public java.util.OptionalLong lag() {
        return backlog.get();
    }

    @Override
    public void close() {
        onClose.run();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // an unfinished settlement leaves the message unacknowledged: the broker redelivers it
        }
        if (retries != null) {
            retries.close();
        }
        try {
            consumer.closeAsync().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the broker drops the member when its connection goes; its unacknowledged messages go back to the group then
        }
    }
}
