package io.anymq.rocketmq;

import io.anymq.Capability;
import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocketMqSettingsTest {
    @Test
    void defaults() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://10.0.0.5"));
        assertThat(s.endpoint()).isEqualTo("10.0.0.5:8081");
        assertThat(s.namesrv()).isEqualTo("10.0.0.5:9876");
        assertThat(s.autoCreate()).isTrue();
        assertThat(s.mixedTopics()).isTrue();
        assertThat(s.maxPayload()).isEqualTo(4L * 1024 * 1024);
        assertThat(s.minAckTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxAckTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(RocketMqProvider.capabilities(s).maximumNackDelay()).as("the proxy's maxInvisibleTimeMills").isEqualTo(Duration.ofHours(12));
        assertThat(RocketMqProvider.capabilities(s).declared()).contains(Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME,
                        Capability.DELAYED_DELIVERY)
                .doesNotContain(Capability.KEY_ORDERING, Capability.BATCH_SEND, Capability.TRANSACTIONS);
    }

    @Test
    void theMaximumAckTimeoutIsTheProxysAndBoundsTheNackDelay() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?max-ack-timeout=2h"));
        assertThat(RocketMqProvider.capabilities(s).maximumNackDelay()).isEqualTo(Duration.ofHours(2));
        for (String wrong : new String[]{"0s", "25d"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?max-ack-timeout=" + wrong)))
                    .isInstanceOf(io.anymq.ConfigurationException.class).hasMessageContaining("max-ack-timeout");
        }
    }

    @Test
    void capabilitiesFollowTheConfiguration() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?auto-create=false&topic-type=normal"));
        assertThat(RocketMqProvider.capabilities(s).declared()).doesNotContain(Capability.REPLAY_FROM_EARLIEST, Capability.START_AT_TIME,
                Capability.DELAYED_DELIVERY);
    }

    @Test
    void fifoModeOffersKeyOrderingInsteadOfDelays() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?mode=fifo"));
        assertThat(s.fifo()).isTrue();
        assertThat(RocketMqProvider.capabilities(s).declared()).contains(Capability.KEY_ORDERING, Capability.REPLAY_FROM_EARLIEST)
                .doesNotContain(Capability.DELAYED_DELIVERY);
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?mode=fifo&auto-create=false")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("auto-create");
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?mode=orderly")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("fifo");
    }

    @Test
    void nativeSettingsPassThroughAndUnknownOnesAreListed() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?rocketmq.requestTimeout=7s&rocketmq.maxAttempts=5"));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.maxAttempts()).isEqualTo(5);
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?rocketmq.nope=1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rocketmq.nope").hasMessageContaining("rocketmq.awaitDuration").hasMessageContaining("rocketmq.maxAttempts");
    }

    @Test
    void theSecretNeverShows() {
        RocketMqSettings s = RocketMqSettings.from(MessagingConfig.of("rocketmq://ak:s3cr3t@h:1"));
        assertThat(s.accessKey()).isEqualTo("ak");
        assertThat(s.secretKey()).isEqualTo("s3cr3t");
        assertThat(s.toString()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?access-key=ak")))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void badOptionsAreConfigurationErrors() {
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?topic-type=fifo"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1?queues=0"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RocketMqSettings.from(MessagingConfig.of("rocketmq://h:1,h:2"))).isInstanceOf(ConfigurationException.class);
    }
}
