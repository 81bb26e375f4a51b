package io.anymq.inmemory;

import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** One member of a group: polls the group's entries. Unsettled entries are released by the core on close. */
final class InMemoryConsumerDriver implements ConsumerDriver {
    private final Topic topic;
    private final Group group;
    private final Wakeup wakeup = new Wakeup();

    InMemoryConsumerDriver(Topic topic, Group group) {
        this.topic = topic;
        this.group = group;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        return (List<DriverDelivery>) (List<?>) group.poll(max, timeout, wakeup);
    }

    @Override
    public void wakeup() {
        wakeup.flag.set(true);
        group.wakeAll();
    }

    @Override
    public void close() {
        // the group keeps its place; the core has released this member's unsettled entries
    }

    /** A wakeup request that a poll consumes once. */
    static final class Wakeup {
        private final AtomicBoolean flag = new AtomicBoolean();

        boolean consume() {
            return flag.get() && flag.getAndSet(false);
        }
    }
}
