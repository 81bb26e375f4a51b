package io.anymq;

import io.anymq.fake.OnAFakeBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a push subscription holds waiting for its handlers: one delivery per handler at most when a handler call takes
 * longer than the hand-off window, the one the poller holds while it waits for a handler's queue included.
 */
class PushHandOffTest extends OnAFakeBroker {
    @Test
    void aHandlerSlowerThanTheWindowHasAtMostOneDeliveryWaitingForItWithHandlersSerialPerKey() {
        int n = 6;
        for (int i = 0; i < n; i++) {
            broker.deliver("t", Message.builder().payload("m" + i).key("one").build(), 1);
        }
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();
        // ack timeout 1 s: window 250 ms; each call 300 ms
        try (Consumer consumer = client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofSeconds(1)).build());
             Subscription s = consumer.subscribe(d -> {
                 started.incrementAndGet();
                 Thread.sleep(300);
                 // fetched from the driver and not yet started: what waits for this (the only) busy handler
                 mostWaiting.accumulateAndGet(broker.polled.get() - started.get(), Math::max);
                 ended.incrementAndGet();
             }, SubscribeOptions.builder().concurrency(4).serialPerKey(true).build())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ended.get() == n);
            assertThat(s.isActive()).isTrue();
        }
        assertThat(mostWaiting.get()).as("deliveries fetched and waiting for a handler whose calls outlast the window").isEqualTo(1);
    }
}
