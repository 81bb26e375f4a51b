package io.anymq.memcached;

import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.Receipt;
import io.anymq.spi.EnvelopeCodec;
import io.anymq.spi.ProducerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Sends to one topic: takes the next number with {@code incr} on the topic's tail and stores the
 * envelope under {@code <topic>:<n>} with {@code set}. Two round trips on the caller's thread; the
 * receipt's position is n. When the store fails after the number was taken, an empty marker is left
 * under the number (best effort), so that groups skip it at once instead of waiting for it.
 */
final class LogProducer implements ProducerDriver {
    private static final Logger LOG = LoggerFactory.getLogger(LogProducer.class);
    private static final byte[] FAILED = new byte[0];

    private final Store store;
    private final Keys keys;
    private final String topic;
    private final String tailKey;
    private final int expiry;
    private final long itemLimit;
    private final TailNumbers numbers = new TailNumbers();

    LogProducer(Store store, Keys keys, String topic, int expiry, long itemLimit) {
        this.store = store;
        this.keys = keys;
        this.topic = topic;
        this.tailKey = keys.tail(topic);
        this.expiry = expiry;
        this.itemLimit = itemLimit;
    }

    /**
     * An interrupt flag set before the send is kept for after it, not seen by xmemcached, which fails a command whose
     * caller is interrupted at once (every send from a thread that left its flag set would fail). An interrupt that comes
     * during a command fails the send with {@code MessagingInterruptedException}: during the {@code set}, the number is
     * marked failed for the groups; during the {@code incr}, the number it may have taken is skipped by the groups after
     * lost-after.
     */
    @Override
    public CompletableFuture<Receipt> send(Message message) {
        return io.anymq.spi.Uninterruptibly.withFlagCleared(() -> store(message));
    }

    private CompletableFuture<Receipt> store(Message message) {
        byte[] value = EnvelopeCodec.encode(message);
        String probeKey = keys.message(topic, Long.MAX_VALUE);
        if (value.length + probeKey.length() + ITEM_HEADER > itemLimit) {
            return CompletableFuture.failedFuture(new MessageTooLargeException(value.length, itemLimit - probeKey.length() - ITEM_HEADER,
                    "memcached (its item size limit, -I, with the envelope)"));
        }
        long floor = numbers.floor();
        long n;
        try {
            n = store.retrying("incr " + tailKey, () -> store.client().incr(tailKey, 1, 1));
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (numbers.startedAgain(floor, n)) {
            LOG.error("the log of '{}' started again at number {} after {}: memcached restarted or lost the topic's tail; "
                    + "messages sent before and not yet settled by every group are gone", topic, n, floor);
        }
        String key = keys.message(topic, n);
        try {
            store.retrying("set " + key, () -> {
                store.set(key, expiry, value);
                return null;
            });
        } catch (MessagingException e) {
            try {
                // written even when an interrupt failed the set
                io.anymq.spi.Uninterruptibly.withFlagCleared(() -> store.add(key, expiry, FAILED));
            } catch (MessagingException ignored) {
                // the groups count the number as lost after lost-after
            }
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(new Receipt(topic, message.id(), message.timestamp(), Long.toString(n)));
    }

    /** What memcached needs in an item beside key and value (its item header, flags, cas), with room to spare. */
    static final int ITEM_HEADER = 64;

    @Override
    public void close() {
        // the connection belongs to the client
    }
}
