package io.anymq.pulsar;

import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.impl.MessageImpl;
import org.apache.pulsar.client.impl.TopicMessageImpl;

import java.util.PriorityQueue;

/**
 * Holds back what the broker delivers before its time. Pulsar's delayed-delivery index keeps times
 * at the precision of its tick ({@code delayedDeliveryTickTimeMillis}, 1 s by default: times are
 * cut to 512 ms steps) and, unless {@code delayedDeliveryDeliverAtTimeStrict}, releases messages up
 * to a tick early; a 500 ms nack delay came back after 15 ms. So the consumer keeps an early message
 * (still unacknowledged at the broker, so a crash loses nothing) until it is due, then hands it out.
 * Due is the message's deliver-at time, or for a retry copy its publish time plus {@code DELAY_TIME}.
 * Used from the core's one polling thread only.
 */
final class EarlyArrivals {
    private record Held(long due, Message<byte[]> message) {
    }

    private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));

    /** Keeps the message if it came before its time; returns whether it did. */
    boolean holdIfEarly(Message<byte[]> m, long nowMillis) {
        long due = dueMillis(m);
        if (due > nowMillis) {
            held.add(new Held(due, m));
            return true;
        }
        return false;
    }

    /** The next held message whose time has come, or null. */
    Message<byte[]> nextDue(long nowMillis) {
        Held h = held.peek();
        if (h != null && h.due <= nowMillis) {
            held.poll();
            return h.message;
        }
        return null;
    }

    /** Milliseconds until the next held message is due (Long.MAX_VALUE when none is held, 0 when one is due). */
    long millisToNextDue(long nowMillis) {
        Held h = held.peek();
        return h == null ? Long.MAX_VALUE : Math.max(0, h.due - nowMillis);
    }

    int size() {
        return held.size();
    }

    /** When the message may be delivered: deliver-at, or publish time + DELAY_TIME for a retry copy; 0 for at once. */
    static long dueMillis(Message<byte[]> m) {
        String delay = m.getProperty(PulsarMessages.DELAY_TIME);
        if (delay != null && m.getProperty(PulsarMessages.RECONSUME_TIMES) != null) {
            try {
                long d = Long.parseLong(delay.trim());
                if (d > 0) {
                    return m.getPublishTime() + d;
                }
            } catch (NumberFormatException e) {
                // not ours: no due time
            }
        }
        Message<?> inner = m instanceof TopicMessageImpl<?> t ? t.getMessage() : m;
        if (inner instanceof MessageImpl<?> impl && impl.getMessageBuilder().hasDeliverAtTime()) {
            return impl.getMessageBuilder().getDeliverAtTime();
        }
        return 0;
    }
}
