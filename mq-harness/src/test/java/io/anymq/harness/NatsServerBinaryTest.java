package io.anymq.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsServerBinaryTest {
    @Test
    void serversBefore2_10_14AreRefused() {
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v2.9.10")).isFalse();
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v2.10.13")).isFalse();
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v1.99.99")).isFalse();
    }

    @Test
    void theMinimumAndNewerAreTaken() {
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v2.10.14")).isTrue();
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v2.10.27")).isTrue();
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v2.11.0")).isTrue();
        assertThat(NatsServerBinary.atLeastMinimum("nats-server: v3.0.0")).isTrue();
    }

    @Test
    void aLineWithoutAVersionIsRefused() {
        assertThat(NatsServerBinary.atLeastMinimum("of unknown version")).isFalse();
        assertThat(NatsServerBinary.atLeastMinimum("")).isFalse();
    }
}
