package io.anymq;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The option types users construct: final classes with builders that can grow without breaking callers. */
class OptionsTest {

    @Test
    void everyOptionTypeIsAFinalClassWithoutPublicConstructorsAndWithABuilder() {
        for (Class<?> type : List.of(ProducerOptions.class, ConsumerOptions.class, SubscribeOptions.class)) {
            assertThat(type.isRecord()).as(type + " is a record").isFalse();
            assertThat(Modifier.isFinal(type.getModifiers())).as(type + " is final").isTrue();
            assertThat(type.getConstructors()).as(type + " public constructors").isEmpty();
            assertThat(Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("builder")
                    && Modifier.isStatic(m.getModifiers()))).as(type + " has builder()").isTrue();
            assertThat(Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("toBuilder")))
                    .as(type + " has toBuilder()").isTrue();
        }
    }

    @Test
    void producerOptionsDefaultsRoundTripAndChecks() {
        ProducerOptions d = ProducerOptions.of("orders");
        assertThat(d.topic()).isEqualTo("orders");
        assertThat(d.maxInFlight()).isEqualTo(ProducerOptions.DEFAULT_MAX_IN_FLIGHT);
        assertThat(d.whenFull()).isEqualTo(ProducerOptions.WhenFull.BLOCK);
        assertThat(d.blockTimeout()).isEqualTo(ProducerOptions.DEFAULT_BLOCK_TIMEOUT);
        assertThat(d.closeTimeout()).isEqualTo(ProducerOptions.DEFAULT_CLOSE_TIMEOUT);

        ProducerOptions o = ProducerOptions.builder("orders").maxInFlight(3).whenFull(ProducerOptions.WhenFull.FAIL)
                .blockTimeout(Duration.ofMillis(5)).closeTimeout(Duration.ZERO).build();
        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o).isNotEqualTo(d);
        assertThat(o.toString()).contains("maxInFlight=3", "FAIL");
        assertThat(o.toBuilder().maxInFlight(4).build().maxInFlight()).isEqualTo(4);

        assertThatThrownBy(() -> ProducerOptions.builder("orders").maxInFlight(0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> ProducerOptions.builder("orders").blockTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("blockTimeout");
        assertThatThrownBy(() -> ProducerOptions.of("bad topic")).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void consumerOptionsDefaultsRoundTripAndChecks() {
        ConsumerOptions d = ConsumerOptions.of("orders", "billing");
        assertThat(d.startPosition()).isEqualTo(StartPosition.LATEST);
        assertThat(d.ackTimeout()).isNull();
        assertThat(d.maxDeliveries()).isZero();
        assertThat(d.deadLetterTopic()).isNull();
        assertThat(d.maxInFlight()).isEqualTo(ConsumerOptions.DEFAULT_MAX_IN_FLIGHT);
        assertThat(d.keyOrdered()).isFalse();
        assertThat(d.connectionLossTimeout()).isEqualTo(ConsumerOptions.DEFAULT_CONNECTION_LOSS_TIMEOUT).isEqualTo(Duration.ofSeconds(30));

        ConsumerOptions o = ConsumerOptions.builder("orders", "billing").startPosition(StartPosition.EARLIEST)
                .ackTimeout(Duration.ofSeconds(3)).maxDeliveries(5).deadLetterTopic("orders-dlq").maxInFlight(7)
                .keyOrdered(true).connectionLossTimeout(Duration.ofSeconds(4)).build();
        assertThat(o.connectionLossTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.toBuilder().connectionLossTimeout(Duration.ofSeconds(5)).build()).isNotEqualTo(o);
        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o).isNotEqualTo(d);
        assertThat(o.toString()).contains("group=billing", "deadLetterTopic=orders-dlq", "maxInFlight=7");

        assertThatThrownBy(() -> ConsumerOptions.builder("orders", "billing").deadLetterTopic("orders").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("dead-letter");
        assertThatThrownBy(() -> ConsumerOptions.builder("orders", "billing").ackTimeout(Duration.ZERO).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ackTimeout");
        assertThatThrownBy(() -> ConsumerOptions.builder("orders", "billing").maxDeliveries(-1).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxDeliveries");
        assertThatThrownBy(() -> ConsumerOptions.of("orders", "")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> ConsumerOptions.builder("orders", "billing").connectionLossTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("connectionLossTimeout");
        assertThatThrownBy(() -> ConsumerOptions.builder("orders", "billing").connectionLossTimeout(null).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("connectionLossTimeout");
    }

    @Test
    void subscribeOptionsDefaultsShortcutsRoundTripAndChecks() {
        SubscribeOptions d = SubscribeOptions.defaults();
        assertThat(d.concurrency()).isEqualTo(1);
        assertThat(d.serialPerKey()).isTrue();
        assertThat(d.retryDelay()).isEqualTo(SubscribeOptions.DEFAULT_RETRY_DELAY);
        assertThat(d.shutdownGrace()).isEqualTo(SubscribeOptions.DEFAULT_SHUTDOWN_GRACE);
        assertThat(SubscribeOptions.concurrency(8)).isEqualTo(SubscribeOptions.builder().concurrency(8).build());

        SubscribeOptions o = SubscribeOptions.builder().concurrency(4).serialPerKey(false)
                .retryDelay(Duration.ofMillis(100)).shutdownGrace(Duration.ZERO).build();
        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o).isNotEqualTo(d);
        assertThat(o.toString()).contains("concurrency=4", "serialPerKey=false");

        assertThatThrownBy(() -> SubscribeOptions.concurrency(0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> SubscribeOptions.builder().retryDelay(null).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("retryDelay");
    }
}
