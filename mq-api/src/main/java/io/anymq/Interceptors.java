package io.anymq;

import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReservedHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's interceptors, in installation order, and the contexts handed to them. The core holds
 * one only when at least one interceptor is installed (null otherwise), so a client without any
 * pays one null check per send and per settlement. Every call is guarded: an interceptor that
 * throws is logged once per class and counted, and the others still run.
 */
final class Interceptors {
    private static final Logger LOG = LoggerFactory.getLogger(Interceptors.class);

    private final MessagingInterceptor[] chain;
    private final String provider;
    private final AtomicLong failures = new AtomicLong();
    private final Set<Class<?>> logged = ConcurrentHashMap.newKeySet();

    private Interceptors(List<MessagingInterceptor> chain, String provider) {
        this.chain = chain.toArray(MessagingInterceptor[]::new);
        this.provider = provider;
    }

    /** The chain for a client, or null when the list is empty. */
    static Interceptors of(List<MessagingInterceptor> list, String provider) {
        return list.isEmpty() ? null : new Interceptors(list, provider);
    }

    long failures() {
        return failures.get();
    }

    private void failed(MessagingInterceptor i, String where, Throwable e) {
        failures.incrementAndGet();
        if (logged.add(i.getClass())) {
            LOG.warn("interceptor {} threw in {} (logged once per interceptor class; the client goes on, "
                    + "MessagingClient.interceptorFailures() counts every failure): {}", i.getClass().getName(), where, e.toString(), e);
        }
    }

    // ---- sends ----

    /** Starts a send: runs every beforeSend in order. The message to send is then {@link Send#message()}. */
    Send beforeSend(String topic, Message message) {
        Send s = new Send(topic, message, chain.length);
        for (int i = 0; i < chain.length; i++) {
            s.slot = i;
            try {
                chain[i].beforeSend(s);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                failed(chain[i], "beforeSend", e);
            }
        }
        s.sealed = true;
        return s;
    }

    /** Ends a send: runs every afterSend in reverse order. */
    void afterSend(Send s, Receipt receipt, Throwable failure) {
        for (int i = chain.length - 1; i >= 0; i--) {
            s.slot = i;
            try {
                chain[i].afterSend(s, receipt, failure);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                failed(chain[i], "afterSend", e);
            }
        }
    }

    // ---- deliveries ----

    Received delivery(String topic, String group, DriverDelivery d, int deliveryCount) {
        return new Received(topic, group, d, deliveryCount, chain.length);
    }

    void onReceive(Received r) {
        for (int i = 0; i < chain.length; i++) {
            r.slot = i;
            try {
                chain[i].onReceive(r);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                failed(chain[i], "onReceive", e);
            }
        }
    }

    void onSettle(Received r, MessagingInterceptor.Outcome outcome, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        for (int i = chain.length - 1; i >= 0; i--) {
            r.slot = i;
            try {
                chain[i].onSettle(r, outcome, cause);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                failed(chain[i], "onSettle", e);
            }
        }
    }

    // ---- consumers ----

    Opened consumerOpened(String topic, String group, ConsumerDriver driver) {
        Opened c = new Opened(topic, group, driver, chain.length);
        for (int i = 0; i < chain.length; i++) {
            consumerHook(i, c, true);
        }
        return c;
    }

    void consumerClosed(Opened c) {
        c.closed = true;
        for (int i = chain.length - 1; i >= 0; i--) {
            consumerHook(i, c, false);
        }
    }

    private void consumerHook(int i, Opened c, boolean open) {
        c.slot = i;
        try {
            if (open) {
                chain[i].onConsumerOpen(c);
            } else {
                chain[i].onConsumerClose(c);
            }
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            failed(chain[i], open ? "onConsumerOpen" : "onConsumerClose", e);
        }
    }

    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError) {
            throw (VirtualMachineError) e;
        }
    }

    /**
     * What both contexts share: provider and topic, and one attachment slot per interceptor, which the chain
     * selects before each call ({@link #slot}). Volatile: a delivery's settlement may run on another thread
     * than its receive.
     */
    abstract class Context {
        final String topic;
        private final int size;
        private volatile Object[] attachments;
        volatile int slot;

        Context(String topic, int size) {
            this.topic = topic;
            this.size = size;
        }

        public String provider() {
            return provider;
        }

        public String topic() {
            return topic;
        }

        public Object attachment() {
            Object[] a = attachments;
            return a == null ? null : a[slot];
        }

        public void attach(Object attachment) {
            Object[] a = attachments;
            if (a == null) {
                a = new Object[size];
                attachments = a;
            }
            a[slot] = attachment;
        }
    }

    /** The context of one send. */
    final class Send extends Context implements MessagingInterceptor.SendContext {
        private final long startNanos = System.nanoTime();
        private Message message;
        boolean sealed;
        /** Set by the producer when the send waited for room in the in-flight window (0: it did not). */
        long windowWaitNanos;

        Send(String topic, Message message, int size) {
            super(topic, size);
            this.message = message;
        }

        @Override
        public Message message() {
            return message;
        }

        @Override
        public void header(String name, String value) {
            if (sealed) {
                throw new IllegalStateException("headers can be added in beforeSend only");
            }
            if (name == null || name.isEmpty()) {
                throw new InvalidMessageException("an interceptor's header name is empty");
            }
            if (ReservedHeaders.isReserved(name)) {
                throw new InvalidMessageException("header '" + name + "' uses the reserved prefix '" + Message.RESERVED_HEADER_PREFIX + "'");
            }
            if (value == null) {
                throw new InvalidMessageException("header '" + name + "' has no value");
            }
            message = message.withHeader(name, value);
        }

        @Override
        public long startNanos() {
            return startNanos;
        }

        @Override
        public long windowWaitNanos() {
            return windowWaitNanos;
        }

        @Override
        public String toString() {
            return "SendContext{provider=" + provider + ", topic=" + topic + "}";
        }
    }

    /** The context of one consumer. */
    final class Opened extends Context implements MessagingInterceptor.ConsumerContext {
        private final String group;
        private final ConsumerDriver driver;
        volatile boolean closed;

        Opened(String topic, String group, ConsumerDriver driver, int size) {
            super(topic, size);
            this.group = group;
            this.driver = driver;
        }

        @Override
        public String group() {
            return group;
        }

        @Override
        public OptionalLong lag() {
            return closed ? OptionalLong.empty() : driver.lag();
        }

        @Override
        public String toString() {
            return "ConsumerContext{provider=" + provider + ", topic=" + topic + ", group=" + group + "}";
        }
    }

    /** The context of one delivery. */
    final class Received extends Context implements MessagingInterceptor.DeliveryContext {
        private final String group;
        private final DriverDelivery delivery;
        /** As the delivery was received; 0 where the backend counts none. */
        private final int deliveryCount;

        Received(String topic, String group, DriverDelivery delivery, int deliveryCount, int size) {
            super(topic, size);
            this.group = group;
            this.delivery = delivery;
            this.deliveryCount = deliveryCount;
        }

        @Override
        public String group() {
            return group;
        }

        @Override
        public Message message() {
            return delivery.message();
        }

        @Override
        public int deliveryCount() {
            return deliveryCount;
        }

        @Override
        public String toString() {
            return "DeliveryContext{provider=" + provider + ", topic=" + topic + ", group=" + group + "}";
        }
    }
}
