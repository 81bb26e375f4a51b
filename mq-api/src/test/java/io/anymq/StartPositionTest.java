package io.anymq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartPositionTest {

    @Test
    void constantsAndTimes() {
        Instant t = Instant.parse("2026-11-30T08:00:00Z");
        assertThat(StartPosition.LATEST.kind()).isEqualTo(StartPosition.Kind.LATEST);
        assertThat(StartPosition.EARLIEST.kind()).isEqualTo(StartPosition.Kind.EARLIEST);
        assertThat(StartPosition.EARLIEST.time()).isNull();
        assertThat(StartPosition.EARLIEST.isTime()).isFalse();
        StartPosition at = StartPosition.at(t);
        assertThat(at.kind()).isEqualTo(StartPosition.Kind.TIME);
        assertThat(at.isTime()).isTrue();
        assertThat(at.time()).isEqualTo(t);
        assertThat(at).isEqualTo(StartPosition.at(t)).hasSameHashCodeAs(StartPosition.at(t))
                .isNotEqualTo(StartPosition.at(t.plusMillis(1))).isNotEqualTo(StartPosition.EARLIEST);
        assertThat(at).hasToString("at(2026-11-30T08:00:00Z)");
        assertThat(StartPosition.LATEST).hasToString("LATEST");
        assertThat(StartPosition.at(Instant.EPOCH).time()).isEqualTo(Instant.EPOCH);
        assertThatThrownBy(() -> StartPosition.at(Instant.EPOCH.minusMillis(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("1970");
        assertThatThrownBy(() -> StartPosition.at(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void parse() {
        assertThat(StartPosition.parse("earliest")).isSameAs(StartPosition.EARLIEST);
        assertThat(StartPosition.parse(" LATEST ")).isSameAs(StartPosition.LATEST);
        assertThat(StartPosition.parse("2026-11-30T08:00:00.250Z")).isEqualTo(StartPosition.at(Instant.parse("2026-11-30T08:00:00.250Z")));
        assertThat(StartPosition.parse("2026-11-30T09:00:00+01:00")).isEqualTo(StartPosition.at(Instant.parse("2026-11-30T08:00:00Z")));
        assertThatThrownBy(() -> StartPosition.parse("2026-11-30T08:00:00")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'2026-11-30T08:00:00'").hasMessageContaining("earliest");
        assertThatThrownBy(() -> StartPosition.parse("yesterday")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void theCoreRefusesATimeInTheFutureBeforeTheDriver() {
        try (MessagingClient client = Messaging.connect("fake:" + UUID.randomUUID())) {
            Instant future = Instant.now().plus(Duration.ofMinutes(1));
            assertThatThrownBy(() -> client.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.at(future)).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("in the future").hasMessageContaining(future.toString());
            client.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.at(Instant.now().minusSeconds(1))).build()).close();
        }
    }
}
