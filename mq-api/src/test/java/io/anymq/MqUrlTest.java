package io.anymq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqUrlTest {

    @Test
    void parsesAHierarchicalUrlWithEverything() {
        MqUrl url = MqUrl.parse("AMQP://app%40corp:s%3Acret@broker.example:5671/vhost%2Fa?heartbeat=10&tls");
        assertThat(url.scheme()).isEqualTo("amqp");
        assertThat(url.user()).isEqualTo("app@corp");
        assertThat(url.password()).isEqualTo("s:cret");
        assertThat(url.hosts()).containsExactly(new MqUrl.HostPort("broker.example", 5671));
        assertThat(url.path()).isEqualTo("vhost/a");
        assertThat(url.query()).containsExactly(Map.entry("heartbeat", "10"), Map.entry("tls", "true"));
        assertThat(url.isHierarchical()).isTrue();
    }

    @Test
    void parsesSeveralHostsIpv6AndMissingPorts() {
        MqUrl url = MqUrl.parse("kafka://a:9092,[::1]:9093,b");
        assertThat(url.hosts()).containsExactly(new MqUrl.HostPort("a", 9092), new MqUrl.HostPort("::1", 9093),
                new MqUrl.HostPort("b", -1));
        assertThat(url.hosts().get(2).portOr(9092)).isEqualTo(9092);
        assertThat(url.hosts().get(1)).hasToString("[::1]:9093");
        assertThat(url.firstHost("localhost", 1).host()).isEqualTo("a");
    }

    @Test
    void parsesOpaqueUrls() {
        MqUrl mem = MqUrl.parse("mem:");
        assertThat(mem.scheme()).isEqualTo("mem");
        assertThat(mem.isHierarchical()).isFalse();
        assertThat(mem.path()).isEmpty();
        MqUrl named = MqUrl.parse("mem:orders?capacity=1000");
        assertThat(named.path()).isEqualTo("orders");
        assertThat(named.query()).containsEntry("capacity", "1000");
    }

    @Test
    void plusIsALiteralPlusNotASpace() {
        assertThat(MqUrl.parse("redis://:a+b@h:1").password()).isEqualTo("a+b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "no-scheme", ":x", "1kafka://h:1", "ka fka://h", "kafka://h:1#frag",
            "kafka://h :1", "kafka://h:port", "kafka://h:0", "kafka://h:70000", "kafka://h:123456", "kafka://a,,b",
            "kafka://[::1", "kafka://[::1]x", "kafka://::1:9092", "kafka://h_%zz:1", "kafka://h?=v", "kafka://ho$t:1",
            "redis://u:p%zz@h:1"})
    void refusesMalformedUrlsWithATypedError(String bad) {
        assertThatThrownBy(() -> MqUrl.parse(bad)).isInstanceOf(MalformedUrlException.class)
                .hasMessageContaining("URL")
                .satisfies(e -> assertThat(((MessagingException) e).isRetryable()).isFalse());
    }

    @Test
    void nullIsMalformedToo() {
        assertThatThrownBy(() -> MqUrl.parse(null)).isInstanceOf(MalformedUrlException.class).hasMessageContaining("empty");
    }

    @Test
    void errorsAndToStringNeverShowThePassword() {
        assertThat(MqUrl.parse("amqp://user:hunter2@h:5672/?token=abc&x=1").toString())
                .doesNotContain("hunter2").doesNotContain("abc").contains("user").contains("x=1");
        assertThatThrownBy(() -> MqUrl.parse("amqp://user:hunter2@h:badport"))
                .isInstanceOf(MalformedUrlException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("badport");
    }

    @Test
    void redactionHidesPasswordsAndSecretOptions() {
        assertThat(Redaction.url("redis://u:pw@h:1/0?auth.token=t0k&mode=list"))
                .isEqualTo("redis://u:" + Redaction.MASK + "@h:1/0?auth.token=" + Redaction.MASK + "&mode=list");
        for (String secret : List.of("password", "sasl.jaas.config", "ssl.keystore.password", "token", "nats.nkey", "apiKey")) {
            assertThat(Redaction.isSecret(secret)).as(secret).isTrue();
            assertThat(Redaction.value(secret, "x")).isEqualTo(Redaction.MASK);
        }
        assertThat(Redaction.value("linger.ms", "5")).isEqualTo("5");
        assertThat(Redaction.url(null)).isNull();
    }

    @Test
    void aServerUrlWithoutAHostIsRefusedWithItsForm() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MqUrl.parse("kafka://").requireHosts(9092))
                .isInstanceOf(ConfigurationException.class).hasMessage("the kafka:// URL names no host: use kafka://HOST:9092");
        org.assertj.core.api.Assertions.assertThat(MqUrl.parse("kafka://a,b:9093").requireHosts(9092))
                .containsExactly(new MqUrl.HostPort("a", 9092), new MqUrl.HostPort("b", 9093));
    }
}
