package io.anymq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagingConfigTest {

    @Test
    void explicitOptionsBeatTheUrlQueryWhichBeatsTheEnvironment() {
        Map<String, String> env = Map.of("MQ_URL", "kafka://env:1", "MQ_KAFKA_LINGER_MS", "1", "MQ_PARTITIONS", "3",
                "MQ_BATCH", "env", "PATH", "/bin");
        MessagingConfig config = MessagingConfig.builder()
                .environment(env)
                .url("kafka://url:2?kafka.linger.ms=2&batch=url")
                .option("batch", "explicit")
                .build();
        assertThat(config.url().hosts().get(0).host()).isEqualTo("url");
        assertThat(config.get("kafka.linger.ms")).contains("2");
        assertThat(config.get("partitions")).contains("3");
        assertThat(config.get("batch")).contains("explicit");
        assertThat(config.get("path")).isEmpty();
    }

    @Test
    void theEnvironmentUrlIsUsedWhenNoneIsGivenAndMemIsTheDefault() {
        assertThat(MessagingConfig.builder().environment(Map.of("MQ_URL", "nats://h:4222")).build().scheme()).isEqualTo("nats");
        assertThat(MessagingConfig.builder().environment(Map.of()).build().scheme()).isEqualTo("mem");
    }

    @Test
    void readsMapsAndProperties() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", "redis://h:6379");
        map.put("redis.timeout", Duration.ofSeconds(3));
        map.put("capacity", 5);
        MessagingConfig fromMap = MessagingConfig.from(map);
        assertThat(fromMap.scheme()).isEqualTo("redis");
        assertThat(fromMap.getInt("capacity", 0)).isEqualTo(5);
        Properties p = new Properties();
        p.setProperty("url", "mem:x");
        p.setProperty("when-full", "fail");
        assertThat(MessagingConfig.from(p).get("when-full")).contains("fail");
    }

    @Test
    void typedGettersParseAndDefault() {
        MessagingConfig c = MessagingConfig.of("mem:?n=42&big=9000000000&on=YES&off=false&d1=250ms&d2=30s&d3=5m&d4=PT2H&d5=1500&mode=key-ordered");
        assertThat(c.getInt("n", 0)).isEqualTo(42);
        assertThat(c.getInt("missing", 7)).isEqualTo(7);
        assertThat(c.getLong("big", 0)).isEqualTo(9_000_000_000L);
        assertThat(c.getBoolean("on", false)).isTrue();
        assertThat(c.getBoolean("off", true)).isFalse();
        assertThat(c.getDuration("d1", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.getDuration("d2", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getDuration("d3", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.getDuration("d4", null)).isEqualTo(Duration.ofHours(2));
        assertThat(c.getDuration("d5", null)).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.getEnum("mode", Mode.class, Mode.PLAIN)).isEqualTo(Mode.KEY_ORDERED);
    }

    enum Mode { PLAIN, KEY_ORDERED }

    @Test
    void badValuesNameTheOptionAndWhatWasExpected() {
        MessagingConfig c = MessagingConfig.of("mem:?n=lots&b=maybe&d=soon&mode=other&big=99999999999999999999");
        assertThatThrownBy(() -> c.getInt("n", 0)).isInstanceOf(ConfigurationException.class).hasMessageContaining("'n'").hasMessageContaining("lots");
        assertThatThrownBy(() -> c.getLong("big", 0)).isInstanceOf(ConfigurationException.class).hasMessageContaining("'big'");
        assertThatThrownBy(() -> c.getBoolean("b", false)).isInstanceOf(ConfigurationException.class).hasMessageContaining("maybe");
        assertThatThrownBy(() -> c.getDuration("d", null)).isInstanceOf(ConfigurationException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> c.getEnum("mode", Mode.class, null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("plain, key_ordered");
    }

    @Test
    void badInputToTheBuilderIsAConfigurationError() {
        assertThatThrownBy(() -> MessagingConfig.builder().option("", "x")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> MessagingConfig.builder().option("k", null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> MessagingConfig.of("kafka://h:x")).isInstanceOf(MalformedUrlException.class);
    }

    @Test
    void nativeSettingsPassThroughUnderAPrefix() {
        MessagingConfig c = MessagingConfig.of("kafka://h:1?kafka.linger.ms=5&kafka.acks=all&kafka.=x&partitions=3");
        assertThat(c.withPrefix("kafka.")).containsOnly(Map.entry("linger.ms", "5"), Map.entry("acks", "all"));
    }

    @Test
    void toStringHidesSecretsWherever_TheyCameFrom() {
        MessagingConfig c = MessagingConfig.builder()
                .environment(Map.of("MQ_SASL_PASSWORD", "envsecret"))
                .url("amqp://u:urlsecret@h:5672/?token=querysecret")
                .option("kafka.ssl.keystore.password", "explicitsecret")
                .option("linger", "5")
                .build();
        assertThat(c.toString()).doesNotContain("envsecret", "urlsecret", "querysecret", "explicitsecret")
                .contains("linger=5").contains(Redaction.MASK);
        assertThatThrownBy(() -> MessagingConfig.of("mem:?password=p1").getInt("password", 0))
                .hasMessageNotContaining("p1");
    }

    @Test
    void withAddsAnOptionToACopy() {
        MessagingConfig c = MessagingConfig.of("mem:");
        MessagingConfig d = c.with("capacity", "10");
        assertThat(c.get("capacity")).isEmpty();
        assertThat(d.getInt("capacity", 0)).isEqualTo(10);
    }

    @Test
    void aMalformedUrlFromTheEnvironmentSaysItCameFromMqUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessagingConfig.builder().environment(Map.of("MQ_URL", "foo")).build())
                .isInstanceOf(MalformedUrlException.class)
                .hasMessageContaining("URL 'foo' has no scheme").hasMessageEndingWith("(from the environment variable MQ_URL)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessagingConfig.builder().environment(Map.of("MQ_URL", "")).build())
                .hasMessage("the connection URL is empty (from the environment variable MQ_URL)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessagingConfig.builder().environment(Map.of("MQ_URL", "mem:")).url("foo").build())
                .hasMessageNotContaining("MQ_URL"); // the code's URL wins, and is the one that failed
    }

    @Test
    void aDurationOptionIsBetweenZeroAndAHundredYears() {
        MessagingConfig c = MessagingConfig.of("mem:?forever=300000d&back=PT-5S&century=36500d");
        assertThatThrownBy(() -> c.getDuration("forever", Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'forever'").hasMessageContaining("a duration from 0 to 36500d (100 years)");
        assertThatThrownBy(() -> c.getDuration("back", Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a duration from 0 to 36500d");
        assertThat(c.getDuration("century", Duration.ZERO)).isEqualTo(Duration.ofDays(36_500));
    }
}
