package io.anymq.inmemory;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.ConsumerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Named {@code mem:} brokers are kept across clients until dropped (README, "Named brokers and memory"):
 * a dropped broker leaves the registry and is garbage once its last client closed; a later client of the
 * name starts empty.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemoryDropTest {
    private static final int NAMES = 1000;
    private static final int PAYLOAD = 1 << 20; // 1 MiB per broker: 1,000 of them kept would be 1 GiB

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aThousandDroppedBrokersAreReleased() throws Exception {
        int before = InMemoryBroker.registered();
        List<WeakReference<InMemoryBroker>> refs = new ArrayList<>();
        for (int i = 0; i < NAMES; i++) {
            refs.add(useAndDrop("drop-" + i + "-" + UUID.randomUUID()));
        }
        assertThat(InMemoryBroker.registered()).as("named brokers still registered").isEqualTo(before);
        awaitCollected(refs);
    }

    /** One broker holding a 1 MiB message, dropped through the client, then the client closed. */
    private static WeakReference<InMemoryBroker> useAndDrop(String name) throws Exception {
        try (MessagingClient c = Messaging.connect("mem:" + name)) {
            c.producer("t").send(Message.builder().payload(new byte[PAYLOAD]).build()).get(5, TimeUnit.SECONDS);
            InMemoryBroker broker = c.unwrap(InMemoryBroker.class);
            assertThat(broker.retained("t")).isEqualTo(1);
            broker.drop();
            assertThat(broker.isDropped()).isTrue();
            return new WeakReference<>(broker);
        }
    }

    @Test
    void withoutDropABrokerOutlivesItsClientsAndKeepsItsMessages() throws Exception {
        String name = fresh("kept");
        WeakReference<InMemoryBroker> ref;
        try (MessagingClient c = Messaging.connect("mem:" + name)) {
            c.producer("t").send("kept").get(5, TimeUnit.SECONDS);
            ref = new WeakReference<>(c.unwrap(InMemoryBroker.class));
        }
        System.gc();
        assertThat(ref.get()).as("kept by its name").isNotNull();
        try (MessagingClient c = Messaging.connect("mem:" + name)) {
            assertThat(receive(c)).contains("kept");
            assertThat(InMemoryBroker.drop(name)).isTrue();
        }
        assertThat(InMemoryBroker.drop(name)).as("already dropped").isFalse();
    }

    @Test
    void aClientStillOpenKeepsWorkingAndALaterClientOfTheNameStartsEmpty() throws Exception {
        String name = fresh("open");
        WeakReference<InMemoryBroker> ref = dropWhileOpen(name);
        InMemoryBroker.drop(name); // the second, empty one
        awaitCollected(List.of(ref));
    }

    private static WeakReference<InMemoryBroker> dropWhileOpen(String name) throws Exception {
        try (MessagingClient open = Messaging.connect("mem:" + name)) {
            open.producer("t").send("old").get(5, TimeUnit.SECONDS);
            InMemoryBroker first = open.unwrap(InMemoryBroker.class);
            assertThat(InMemoryBroker.drop(name)).isTrue();
            try (MessagingClient later = Messaging.connect("mem:" + name)) {
                InMemoryBroker second = later.unwrap(InMemoryBroker.class);
                assertThat(second).isNotSameAs(first);
                assertThat(second.retained("t")).as("a later client of the name starts empty").isZero();
                assertThat(receive(later)).isEmpty();
            }
            // the dropped broker still serves the client that had it
            open.producer("t").send("more").get(5, TimeUnit.SECONDS);
            assertThat(first.retained("t")).isEqualTo(2);
            assertThat(receive(open)).contains("old");
            return new WeakReference<>(first);
        }
    }

    @Test
    void dropNeedsAName() {
        assertThatThrownBy(() -> InMemoryBroker.drop(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(InMemoryBroker.drop(fresh("never-made"))).isFalse();
    }

    private static Optional<String> receive(MessagingClient c) {
        try (Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build())) {
            Optional<Delivery> d = consumer.receive(Duration.ofMillis(300));
            d.ifPresent(Delivery::ack);
            return d.map(x -> x.message().payloadAsString());
        }
    }

    private static void awaitCollected(List<WeakReference<InMemoryBroker>> refs) throws InterruptedException {
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(refs.stream().filter(r -> r.get() != null).count()).as("dropped brokers still reachable").isZero();
    }
}
