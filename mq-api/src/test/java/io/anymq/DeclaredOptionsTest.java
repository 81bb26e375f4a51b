package io.anymq;

import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options a provider declares, and the core's check of every configuration against them. */
class DeclaredOptionsTest {
    enum Mode { ORDERED, SHARED, KEY_SHARED }

    static final ConfigOption<Integer> PARTITIONS = ConfigOption.intOption("partitions", 6, "partitions of a new topic");
    static final ConfigOption<Mode> MODE = ConfigOption.enumOption("mode", Mode.class, Mode.ORDERED, "how groups consume");
    static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(10), "how long connecting may take");
    static final ConfigOption<String> PASSWORD =
            ConfigOption.stringOption("tls.truststore-password", null, "none", "the trust store's password");
    static final ConfigOptions DECLARED = ConfigOptions.of(List.of(PARTITIONS, MODE, CONNECT_TIMEOUT, PASSWORD), List.of("kafka."));

    private static MessagingConfig checked(MessagingConfig.Builder b) {
        return b.build().checkedAgainst("test", DECLARED);
    }

    @Test
    void declaredOptionsReadTheirValuesAndDefaults() {
        MessagingConfig c = checked(MessagingConfig.builder().url("x://h?partitions=3&mode=key-shared"));
        assertThat(PARTITIONS.get(c)).isEqualTo(3);
        assertThat(MODE.get(c)).isEqualTo(Mode.KEY_SHARED);
        assertThat(CONNECT_TIMEOUT.get(c)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PASSWORD.get(c)).isNull();
        assertThat(MODE.type()).isEqualTo("one of ordered, shared, key-shared");
        assertThat(MODE.defaultText()).isEqualTo("ordered");
        assertThat(CONNECT_TIMEOUT.defaultText()).isEqualTo("10s");
        assertThat(ConfigOption.durationOption("d", Duration.ofMillis(250), "x").defaultText()).isEqualTo("250ms");
        assertThat(ConfigOption.durationOption("d", Duration.ofDays(7), "x").defaultText()).isEqualTo("7d");
        assertThatThrownBy(() -> PARTITIONS.get(MessagingConfig.of("x://h?partitions=many")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("partitions");
    }

    @Test
    void aMisspelledUrlOptionIsRefusedNamingItTheNearestNameAndEveryKnownOne() {
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h?partitons=3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'partitons' (from the URL): did you mean 'partitions'?")
                .hasMessageContaining("connect-timeout, mode, partitions, tls.truststore-password; and any name under kafka.");
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h?mdoe=shared")))
                .hasMessageContaining("'mdoe'").hasMessageContaining("did you mean 'mode'?");
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h").option("bogus", 1)))
                .hasMessageContaining("unknown option 'bogus' (from the options)").hasMessageNotContaining("did you mean");
    }

    @Test
    void everyUnknownOptionIsNamedAtOnce() {
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h?a=1&b=2")))
                .hasMessageContaining("'a'").hasMessageContaining("'b'");
    }

    @Test
    void passThroughPrefixesAreTheOnlyOpenNamespace() {
        MessagingConfig c = checked(MessagingConfig.builder().url("x://h?kafka.linger.ms=5"));
        assertThat(c.withPrefix("kafka.")).containsEntry("linger.ms", "5");
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h?kafka.=5"))).hasMessageContaining("'kafka.'");
        assertThatThrownBy(() -> checked(MessagingConfig.builder().url("x://h?redis.timeout=5"))).hasMessageContaining("'redis.timeout'");
    }

    @Test
    void environmentVariablesMapOntoHyphenatedAndDottedDeclaredNames() {
        MessagingConfig c = checked(MessagingConfig.builder().environment(Map.of(
                "MQ_URL", "x://h", "MQ_CONNECT_TIMEOUT", "1s", "MQ_TLS_TRUSTSTORE_PASSWORD", "secret",
                "MQ_KAFKA_LINGER_MS", "7", "MQ_MODE", "shared")));
        assertThat(CONNECT_TIMEOUT.get(c)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PASSWORD.get(c)).isEqualTo("secret");
        assertThat(MODE.get(c)).isEqualTo(Mode.SHARED);
        assertThat(c.withPrefix("kafka.")).containsEntry("linger.ms", "7");
        assertThat(c.origin("connect-timeout")).contains("environment variable MQ_CONNECT_TIMEOUT");
        assertThat(c.options()).doesNotContainKeys("connect.timeout", "tls.truststore.password");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void theUrlAndTheOptionsBeatTheEnvironmentUnderEitherSpelling() {
        MessagingConfig c = checked(MessagingConfig.builder()
                .environment(Map.of("MQ_CONNECT_TIMEOUT", "1s", "MQ_PARTITIONS", "2"))
                .url("x://h?connect-timeout=3s").option("partitions", 4));
        assertThat(CONNECT_TIMEOUT.get(c)).isEqualTo(Duration.ofSeconds(3));
        assertThat(PARTITIONS.get(c)).isEqualTo(4);
        assertThat(c.origin("connect-timeout")).contains("the URL");
        assertThat(c.origin("partitions")).contains("the options");
    }

    @Test
    void anUnknownEnvironmentVariableIsRefusedByItsName() {
        assertThatThrownBy(() -> checked(MessagingConfig.builder().environment(Map.of("MQ_URL", "x://h", "MQ_PARTITONS", "3"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'partitons' (from environment variable MQ_PARTITONS)")
                .hasMessageContaining("did you mean 'partitions'?");
    }

    @Test
    void theLauncherAndTestVariablesAreNeverOptions() {
        MessagingConfig c = checked(MessagingConfig.builder().environment(Map.of(
                "MQ_URL", "x://h", "MQ_JAVA_OPTS", "-Xmx1g", "MQ_IT_KAFKA_URL", "kafka://h:1", "PATH", "/bin")));
        assertThat(c.options()).isEmpty();
    }

    @Test
    void aProviderThatDeclaresNothingIsNotChecked() {
        MessagingConfig c = MessagingConfig.of("x://h?anything=1").checkedAgainst("old", ConfigOptions.undeclared());
        assertThat(c.get("anything")).contains("1");
    }

    @Test
    void declarationsRefuseDuplicatesClashingEnvironmentNamesAndBadPrefixes() {
        ConfigOption<Integer> a = ConfigOption.intOption("a-b", 1, "x");
        ConfigOption<Integer> b = ConfigOption.intOption("a.b", 1, "x");
        assertThatThrownBy(() -> ConfigOptions.of(a, a)).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ConfigOptions.of(a, b)).hasMessageContaining("MQ_A_B");
        assertThatThrownBy(() -> ConfigOptions.of(List.of(a), List.of("kafka"))).hasMessageContaining("ends in '.'");
        assertThatThrownBy(() -> ConfigOption.intOption("Bad_Name", 1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
