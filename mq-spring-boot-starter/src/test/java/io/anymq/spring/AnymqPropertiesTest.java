package io.anymq.spring;

import io.anymq.MessagingConfig;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnymqPropertiesTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }

    @Test
    void keysKeepTheirDotsAndDashes() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("anymq.url", "kafka://127.0.0.1:9092?mode=shared");
        p.put("anymq.connect-timeout", "5s");
        p.put("anymq.kafka.linger.ms", "5");
        p.put("anymq.tls", "true");
        p.put("anymq.tls.truststore", "/etc/ts.p12");
        p.put("anymq.tls.truststore-password", "s3cret");
        p.put("other.thing", "not ours");
        MessagingConfig c = AnymqProperties.messagingConfig(environment(p), Map.of());
        assertThat(c.scheme()).isEqualTo("kafka");
        assertThat(c.options()).containsOnly(
                Map.entry("mode", "shared"),
                Map.entry("connect-timeout", "5s"),
                Map.entry("kafka.linger.ms", "5"),
                Map.entry("tls", "true"),
                Map.entry("tls.truststore", "/etc/ts.p12"),
                Map.entry("tls.truststore-password", "s3cret"));
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.origin("connect-timeout")).contains("the options");
        assertThat(c.origin("mode")).contains("the URL");
    }

    @Test
    void theProcessEnvironmentComesFirstAndThePropertiesWin() {
        Map<String, String> processEnv = Map.of("MQ_URL", "mem:from-env", "MQ_CAPACITY", "5", "MQ_WHEN_FULL", "fail",
                "MQ_IT_REQUIRE", "all", "PATH", "/bin");
        MessagingConfig onlyEnv = AnymqProperties.messagingConfig(environment(Map.of()), processEnv);
        assertThat(onlyEnv.url().toString()).isEqualTo("mem:from-env");
        assertThat(onlyEnv.origin("capacity")).contains("environment variable MQ_CAPACITY");

        MessagingConfig both = AnymqProperties.messagingConfig(
                environment(Map.of("anymq.url", "mem:from-spring", "anymq.capacity", "7")), processEnv);
        assertThat(both.url().toString()).isEqualTo("mem:from-spring");
        assertThat(both.get("capacity")).contains("7");
        assertThat(both.origin("capacity")).contains("the options");
        assertThat(both.origin("when.full")).as("MQ_* names are mapped onto the declared ones at connect").isPresent();
    }

    @Test
    void nothingSetIsTheInMemoryDefault() {
        MessagingConfig c = AnymqProperties.messagingConfig(environment(Map.of()), Map.of());
        assertThat(c.url().toString()).isEqualTo(MessagingConfig.DEFAULT_URL);
        assertThat(c.options()).isEmpty();
    }
}
