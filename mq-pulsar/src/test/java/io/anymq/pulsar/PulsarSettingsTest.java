package io.anymq.pulsar;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PulsarSettingsTest {

    private static PulsarSettings parse(String url) {
        return PulsarSettings.from(MessagingConfig.of(url));
    }

    @Test
    void defaults() {
        PulsarSettings s = parse("pulsar://broker.example:6650");
        assertThat(s.mode()).isEqualTo(PulsarSettings.Mode.SHARED);
        assertThat(s.serviceUrl()).isEqualTo("pulsar://broker.example:6650");
        assertThat(s.adminUrl()).isEqualTo("http://broker.example:8080");
        assertThat(s.topicName("orders")).isEqualTo("persistent://public/default/orders");
        assertThat(s.partitions()).isZero();
        assertThat(s.maxPayload()).isEqualTo(5 * 1024 * 1024 - 64 * 1024);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void tlsSchemeHostsAndOptions() {
        PulsarSettings s = parse("pulsar+ssl://a:7000,b?mode=key_shared&tenant=acme&namespace=prod&partitions=4&token=abc.def");
        assertThat(s.tls()).isTrue();
        assertThat(s.serviceUrl()).isEqualTo("pulsar+ssl://a:7000,b:6651");
        assertThat(s.adminUrl()).isEqualTo("https://a:8443");
        assertThat(s.mode()).isEqualTo(PulsarSettings.Mode.KEY_SHARED);
        assertThat(s.topicName("t")).isEqualTo("persistent://acme/prod/t");
        assertThat(s.partitions()).isEqualTo(4);
        assertThat(s.toString()).doesNotContain("abc.def");
    }

    @Test
    void badOptionsAreConfigurationErrors() {
        assertThatThrownBy(() -> parse("pulsar://h?mode=exclusive")).isInstanceOf(ConfigurationException.class).hasMessageContaining("failover");
        assertThatThrownBy(() -> parse("pulsar://h?tenant=a/b")).isInstanceOf(ConfigurationException.class).hasMessageContaining("tenant");
        assertThatThrownBy(() -> parse("pulsar://h?partitions=-1")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> parse("pulsar://h?admin-url=ftp://x")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> parse("pulsar://h?max-payload=0")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void nativeOptionsAreCheckedAgainstThePulsarConfigClasses() {
        PulsarSettings s = parse("pulsar://h?pulsar.producer.batchingMaxMessages=10&pulsar.consumer.priorityLevel=2"
                + "&pulsar.client.numIoThreads=2");
        assertThat(s.nativeOptions().producer()).containsEntry("batchingMaxMessages", "10");
        assertThat(s.nativeOptions().consumer()).containsEntry("priorityLevel", "2");
        assertThat(s.nativeOptions().client()).containsEntry("numIoThreads", "2");
        assertThatThrownBy(() -> parse("pulsar://h?pulsar.producer.lingerMs=5")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("lingerMs").hasMessageContaining("batchingMaxPublishDelayMicros");
        assertThatThrownBy(() -> parse("pulsar://h?pulsar.consumer.subscriptionType=Exclusive")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("set by mq-pulsar");
        assertThatThrownBy(() -> parse("pulsar://h?pulsar.reader.x=1")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pulsar.consumer.");
    }

    @Test
    void delaysRoundUpToWholeMilliseconds() {
        assertThat(Retries.delayMillis(Duration.ZERO)).isZero();
        assertThat(Retries.delayMillis(Duration.ofMillis(500))).isEqualTo(500);
        assertThat(Retries.delayMillis(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(Retries.delayMillis(Duration.ofNanos(2_500_000))).isEqualTo(3);
    }

    @Test
    void capabilitiesPerMode() {
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.SHARED, 0, 1).has(io.anymq.Capability.KEY_ORDERING)).isFalse();
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.KEY_SHARED, 0, 1).has(io.anymq.Capability.KEY_ORDERING)).isTrue();
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.FAILOVER, 0, 1).has(io.anymq.Capability.NACK_REDELIVERY)).isFalse();
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.FAILOVER, 0, 1).has(io.anymq.Capability.COMPETING_CONSUMERS)).isFalse();
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.FAILOVER, 4, 1).has(io.anymq.Capability.COMPETING_CONSUMERS)).isTrue();
        assertThat(PulsarProvider.capabilities(PulsarSettings.Mode.FAILOVER, 4, 1).has(io.anymq.Capability.DELAYED_DELIVERY)).isFalse();
    }
}
