package io.anymq.inmemory;

import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/** One member of a group: polls the group's entries. Unsettled entries are released by the core on close. */
final class InMemoryConsumerDriver implements ConsumerDriver {
    private final Group group;

    InMemoryConsumerDriver(Group group) {
        this.group = group;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
        return (List<DriverDelivery>) (List<?>) group.poll(max, timeout);
    }

    @Override
    public OptionalLong lag() {
        return OptionalLong.of(group.lag());
    }

    @Override
    public void close() {
        // the group keeps its place; the core has released this member's unsettled entries
    }
}
