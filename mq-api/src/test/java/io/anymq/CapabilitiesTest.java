package io.anymq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilitiesTest {

    @Test
    void theTwoArgumentFormHasNoMinimumAckTimeoutAndRedeliversToAnyMember() {
        Capabilities c = new Capabilities(Set.of(Capability.ACK_TIMEOUT), 10);
        assertThat(c.minimumAckTimeout()).isZero();
        assertThat(c.ackTimeoutRedelivery()).isEqualTo(AckTimeoutRedelivery.ANY_MEMBER);
        assertThat(c.withMinimumAckTimeout(Duration.ofSeconds(10)).withAckTimeoutRedelivery(AckTimeoutRedelivery.MAY_WAIT_FOR_HOLDER))
                .hasToString("[ACK_TIMEOUT] maxPayload=10 minimumAckTimeout=PT10S ackTimeoutRedelivery=MAY_WAIT_FOR_HOLDER");
        assertThatThrownBy(() -> c.withMinimumAckTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCoreRefusesAnAckTimeoutBelowTheDeclaredMinimum() {
        try (MessagingClient client = Messaging.connect("fake:" + UUID.randomUUID() + "?min-ack-timeout=10s")) {
            assertThat(client.capabilities().minimumAckTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofSeconds(2)).build()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("fake needs an ack timeout of at least PT10S").hasMessageContaining("PT2S");
            client.consumer(ConsumerOptions.builder("t", "g").ackTimeout(Duration.ofSeconds(10)).build()).close();
        }
    }

    @Test
    void theMaximumNackDelayIsTheCoresBoundUnlessABackendDeclaresLess() {
        Capabilities c = new Capabilities(Set.of(Capability.NACK_REDELIVERY), 10);
        assertThat(c.maximumNackDelay()).isEqualTo(Delivery.MAX_NACK_DELAY);
        assertThat(c.withMaximumNackDelay(Duration.ofHours(12))).hasToString("[NACK_REDELIVERY] maxPayload=10 maximumNackDelay=PT12H");
        assertThat(c.withMaximumNackDelay(Duration.ofHours(12)).withMinimumAckTimeout(Duration.ofSeconds(1)).maximumNackDelay())
                .as("kept by the other withers").isEqualTo(Duration.ofHours(12));
        for (Duration wrong : new Duration[]{Duration.ZERO, Duration.ofSeconds(-1), Delivery.MAX_NACK_DELAY.plusMillis(1)}) {
            assertThatThrownBy(() -> c.withMaximumNackDelay(wrong)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A nack delay over the backend's maximum is refused before the delivery is settled (RocketMQ's proxy refused it after
     * the core had settled the delivery: the nack failed and the message came back after the ack timeout instead).
     */
    @Test
    void theCoreRefusesANackDelayOverTheDeclaredMaximumAndTheDeliveryStaysUnsettled() {
        String name = UUID.randomUUID().toString();
        io.anymq.fake.FakeBroker broker = io.anymq.fake.FakeBroker.named(name);
        try (MessagingClient client = Messaging.connect("fake:" + name + "?max-nack-delay=1h");
             Consumer consumer = client.consumer("t", "g")) {
            io.anymq.fake.FakeDelivery driver = broker.deliver("t", Message.of("m"), 1);
            Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThatThrownBy(() -> d.nack(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most PT1H on fake").hasMessageContaining("still unsettled");
            assertThat(d.isSettled()).isFalse();
            d.nack(Duration.ofHours(1)).join();
            assertThat(driver.settlements).containsExactly("nack PT1H");
            assertThatThrownBy(() -> consumer.subscribe(x -> { }, SubscribeOptions.builder().retryDelay(Duration.ofHours(2)).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("retryDelay is PT2H")
                    .hasMessageContaining("at most PT1H");
        }
    }

    @Test
    void aDeliveryWhoseOwnBoundRefusesTheDelayIsRefusedBeforeItIsSettled() {
        String name = UUID.randomUUID().toString();
        io.anymq.fake.FakeBroker broker = io.anymq.fake.FakeBroker.named(name);
        try (MessagingClient client = Messaging.connect("fake:" + name); Consumer consumer = client.consumer("t", "g")) {
            io.anymq.fake.FakeDelivery driver = broker.deliver("t", Message.of("m"), 1);
            driver.nackDelayRefusal = "its lock ends in 2 s";
            Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThatThrownBy(() -> d.nack(Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("its lock ends in 2 s; the delivery is still unsettled");
            assertThat(d.isSettled()).isFalse();
            d.nack(Duration.ZERO).join(); // no delay: nothing to hold back
            assertThat(driver.settlements).containsExactly("nack PT0S");

            io.anymq.fake.FakeDelivery failing = broker.deliver("t", Message.of("handler fails"), 1);
            failing.nackDelayRefusal = "its lock ends in 0.5 s";
            try (Subscription s = consumer.subscribe(x -> {
                throw new IllegalStateException("handler fails");
            }, SubscribeOptions.builder().retryDelay(Duration.ofSeconds(1)).build())) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !failing.settlements.isEmpty());
                assertThat(failing.settlements).as("the retry delay does not fit: redelivered now").containsExactly("nack PT0S");
            }
        }
    }

    @Test
    void theDeclaredSetIsAnUnmodifiableCopyThatEqualsAnyEqualSet() {
        java.util.EnumSet<Capability> given = java.util.EnumSet.of(Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT);
        Capabilities c = new Capabilities(given, 10);
        given.add(Capability.TRANSACTIONS);
        Set<Capability> declared = c.declared();
        assertThat(declared).containsExactly(Capability.AT_LEAST_ONCE, Capability.ACK_TIMEOUT).doesNotContain(Capability.TRANSACTIONS)
                .isEqualTo(Set.of(Capability.ACK_TIMEOUT, Capability.AT_LEAST_ONCE)).hasSameHashCodeAs(Set.of(Capability.ACK_TIMEOUT, Capability.AT_LEAST_ONCE));
        assertThat(c.has(Capability.ACK_TIMEOUT)).isTrue();
        assertThat(c.has(Capability.TRANSACTIONS)).isFalse();
        assertThat(declared.contains("ACK_TIMEOUT")).isFalse();
        assertThatThrownBy(() -> declared.add(Capability.TRANSACTIONS)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> declared.remove(Capability.ACK_TIMEOUT)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(declared::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> {
            java.util.Iterator<Capability> it = declared.iterator();
            it.next();
            it.remove();
        }).isInstanceOf(UnsupportedOperationException.class);
        assertThat(c.withMinimumAckTimeout(Duration.ofSeconds(1)).declared()).isSameAs(declared);
        assertThat(new Capabilities(Set.of(), 1).declared()).isEmpty();
        assertThat(c).isEqualTo(new Capabilities(Set.of(Capability.ACK_TIMEOUT, Capability.AT_LEAST_ONCE), 10));
    }
}
