package io.anymq.memcached;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemcachedSettingsTest {

    private static MemcachedSettings of(String url) {
        return MemcachedSettings.from(MessagingConfig.of(url));
    }

    @Test
    void defaults() {
        MemcachedSettings s = of("memcached://127.0.0.1:11211");
        assertThat(s.itemExpiry()).isEqualTo(Duration.ofDays(7));
        assertThat(s.expirySeconds()).isEqualTo(7 * 24 * 3600);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.eviction()).isEqualTo(MemcachedSettings.Eviction.WARN);
        assertThat(s.keyPrefix()).isEqualTo("mq:");
        assertThat(s.binary()).isFalse();
        assertThat(s.deadLetterGroup()).isEqualTo("dead-letters");
    }

    @Test
    void credentialsMeanTheBinaryProtocol() {
        assertThat(of("memcached://u:p@127.0.0.1:11211").binary()).isTrue();
        assertThatThrownBy(() -> of("memcached://u:p@127.0.0.1:11211?protocol=text")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("binary");
    }

    @Test
    void groupStatesOutliveTheirMessagesByLostAfterAndTheClaimGrace() {
        // memcached expires on whole-second ticks: a state given the message's 1 s could go before lost-after passed
        assertThat(of("memcached://h?item-expiry=1s&lost-after=300ms").stateExpirySeconds()).isEqualTo(1 + 2 + 2);
        assertThat(of("memcached://h?item-expiry=1d").stateExpirySeconds()).isGreaterThan(24 * 3600);
        assertThat(of("memcached://h?item-expiry=30d").stateExpirySeconds()).isEqualTo(30 * 24 * 3600);
        assertThat(of("memcached://h?item-expiry=0s").stateExpirySeconds()).isZero();
    }

    @Test
    void badValuesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> of("memcached://h?item-expiry=31d")).isInstanceOf(ConfigurationException.class).hasMessageContaining("30d");
        assertThatThrownBy(() -> of("memcached://h?item-expiry=500ms")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> of("memcached://h?poll-interval=0s")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> of("memcached://h?poll-interval=5s")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> of("memcached://h?eviction=ignore")).isInstanceOf(ConfigurationException.class).hasMessageContaining("refuse");
        assertThatThrownBy(() -> of("memcached://h?protocol=udp")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> of("memcached://h?key-prefix=a%20b")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> of("memcached://h?dead-letter-group=bad:name")).isInstanceOf(ConfigurationException.class);
        assertThat(of("memcached://h?item-expiry=0s").expirySeconds()).isZero();
        assertThat(of("memcached://h?dead-letter-group=").deadLetterGroup()).isNull();
    }

    @Test
    void unknownXmemcachedOptionsListTheKnownOnes() {
        assertThatThrownBy(() -> XMemcachedOptions.check(Map.of("op-timout", "5")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("memcached.op-timeout")
                .hasMessageContaining("memcached.connection-pool-size");
        assertThatThrownBy(() -> XMemcachedOptions.check(Map.of("failure-mode", "yes"))).isInstanceOf(ConfigurationException.class);
        XMemcachedOptions.check(Map.of("connection-pool-size", "2", "tcp-no-delay", "true"));
    }
}
