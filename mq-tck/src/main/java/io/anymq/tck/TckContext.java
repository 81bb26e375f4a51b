package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every scenario uses: the client under test, fresh names, resources that are closed after the
 * test, and receive helpers with bounded waits. {@link MessagingTck} implements it.
 */
public interface TckContext {

    /** The client made by {@link MessagingTck#createClient()} for this test class. */
    MessagingClient client();

    /** Another client (a second process, as far as the broker can tell); closed after the test. */
    MessagingClient newClient();

    TckSettings settings();

    /** A fresh portable name, such as {@code tck-fanout-1a2b3c4d}. */
    String name(String scenario);

    /** Closes the resource after the test (in reverse order), ignoring errors then. */
    <T extends AutoCloseable> T closeAfterTest(T resource);

    /** Records an observation for the capability report, such as a duplicate count. */
    void observe(String scenario, String observation);

    /** Records what a volume or fault scenario counted (also as an observation). */
    void tally(TckReport.Tally tally);

    /** The hook to restart, kill or cut off the broker; null when the suite may not touch it. */
    BrokerFaults faults();

    /**
     * How a child JVM connects to the backend under test (the URL under {@code url}, options under their names, as
     * {@link io.anymq.MessagingConfig#from(java.util.Map)} takes them); null when the suite does not know.
     */
    java.util.Map<String, String> childConnection();

    /** The ack timeout the suite asks for: the settings', or the backend's declared minimum if that is longer. */
    default Duration ackTimeout() {
        Duration minimum = client().capabilities().minimumAckTimeout();
        return settings().ackTimeout().compareTo(minimum) < 0 ? minimum : settings().ackTimeout();
    }

    default boolean declares(Capability capability) {
        return client().capabilities().has(capability);
    }

    default Producer producer(String topic) {
        return closeAfterTest(client().producer(topic));
    }

    /**
     * Options for a consumer of a fresh topic: starting at the earliest message where the backend can
     * (so nothing sent right after creation can be missed), else at the latest.
     */
    default ConsumerOptions.Builder options(String topic, String group) {
        return ConsumerOptions.builder(topic, group)
                .startPosition(declares(Capability.REPLAY_FROM_EARLIEST) ? StartPosition.EARLIEST : StartPosition.LATEST);
    }

    default Consumer consumer(String topic, String group) {
        return consumer(options(topic, group).build());
    }

    default Consumer consumer(ConsumerOptions options) {
        return closeAfterTest(client().consumer(options));
    }

    /** A message with a text payload. */
    static Message text(String payload) {
        return Message.of(payload);
    }

    static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    /** One delivery, or a failure after the receive timeout. */
    default Delivery receiveOne(Consumer consumer) {
        Optional<Delivery> d = consumer.receive(settings().receiveTimeout());
        if (d.isEmpty()) {
            throw new AssertionError("nothing arrived on '" + consumer.topic() + "' for group '" + consumer.group()
                    + "' within " + settings().receiveTimeout());
        }
        return d.get();
    }

    /**
     * Receives until {@code count} deliveries arrived or nothing more came for the receive timeout;
     * acks each when {@code ack}. Returns what arrived (possibly fewer: the caller asserts).
     */
    default List<Delivery> receive(Consumer consumer, int count, boolean ack) {
        List<Delivery> out = new ArrayList<>(count);
        long quietSince = System.nanoTime();
        while (out.size() < count) {
            List<Delivery> batch = consumer.receive(Math.min(256, count - out.size()), Duration.ofMillis(200));
            if (batch.isEmpty()) {
                if (System.nanoTime() - quietSince > settings().receiveTimeout().toNanos()) {
                    break;
                }
                continue;
            }
            quietSince = System.nanoTime();
            for (Delivery d : batch) {
                if (ack) {
                    d.ack();
                }
                out.add(d);
            }
        }
        return out;
    }

    /** Whatever arrives within the absence wait (acked), for "nothing more comes" checks. */
    default List<Delivery> receiveDuringAbsenceWait(Consumer consumer) {
        return receiveFor(consumer, settings().absenceWait());
    }

    /** Whatever arrives within the given time (acked). */
    default List<Delivery> receiveFor(Consumer consumer, Duration time) {
        List<Delivery> out = new ArrayList<>();
        long end = System.nanoTime() + time.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            consumer.receive(Duration.ofNanos(left)).ifPresent(d -> {
                d.ack();
                out.add(d);
            });
        }
        return out;
    }

    /**
     * Runs the call on this thread with its interrupt flag set (a finally block after an {@code InterruptedException},
     * a framework thread that left it set); whether the flag was still set when the call returned. The flag is cleared
     * after, also when the call throws.
     */
    static boolean flagKeptBy(Runnable call) {
        Thread.currentThread().interrupt();
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            Thread.interrupted();
            throw e;
        }
        return Thread.interrupted();
    }

    /**
     * A daemon thread that interrupts {@code target} every {@code everyMs} milliseconds while it lives and until
     * {@code stop} is set (the interrupt scenarios).
     */
    static Thread interrupter(Thread target, long everyMs, java.util.concurrent.atomic.AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            while (!stop.get() && target.isAlive()) {
                target.interrupt();
                try {
                    Thread.sleep(everyMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tck-interrupter");
        t.setDaemon(true);
        return t;
    }
}
