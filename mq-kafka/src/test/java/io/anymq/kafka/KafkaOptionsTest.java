package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.spi.ConfigOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-kafka declares every option it reads: a misspelling fails before any connection is tried. */
class KafkaOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so getting a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?partitons=3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'partitons' (from the URL): did you mean 'partitions'?")
                .hasMessageContaining("auto-create, connect-timeout, max-payload, mode, partitions, replication, "
                        + "sasl.mechanism, tls, tls.truststore, tls.truststore-password; and any name under kafka.");
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?mdoe=shared"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("did you mean 'mode'?");
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?mode=queue"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("one of ordered, shared");
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefix() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## URL and options"), readme.indexOf("## Mapping"));
        Set<String> table = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[^`]+`(?:, )?)+) \\|").matcher(section);
        while (row.find()) {
            Matcher name = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (name.find()) {
                table.add(name.group(1));
            }
        }
        Set<String> declared = new TreeSet<>();
        for (ConfigOption<?> o : KafkaSettings.OPTIONS.options()) {
            declared.add(o.name());
        }
        KafkaSettings.OPTIONS.passThroughPrefixes().forEach(p -> declared.add(p + "*"));
        assertThat(table).isEqualTo(declared);
    }
}
