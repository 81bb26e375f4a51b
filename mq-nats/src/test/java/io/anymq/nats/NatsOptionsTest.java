package io.anymq.nats;

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

/** mq-nats declares every option it reads: a misspelling fails before any connection is tried. */
class NatsOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("nats://127.0.0.1:1?jetstraem=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'jetstraem' (from the URL): did you mean 'jetstream'?")
                .hasMessageContaining(NatsSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Options"), readme.indexOf("## Mapping"));
        Set<String> table = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[^`]+`(?:, )?)+) \\|").matcher(section);
        while (row.find()) {
            Matcher name = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (name.find()) {
                table.add(name.group(1));
            }
        }
        Set<String> declared = new TreeSet<>();
        for (ConfigOption<?> o : NatsSettings.OPTIONS.options()) {
            declared.add(o.name());
        }
        NatsSettings.OPTIONS.passThroughPrefixes().forEach(p -> declared.add(p + "*"));
        assertThat(table).isEqualTo(declared);
    }

    @Test
    void theGenericTlsSchemeIsRefusedNamingNatsPlusTls() {
        assertThatThrownBy(() -> Messaging.connect("tls://127.0.0.1:1"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("nats+tls://");
        assertThat(Messaging.providers()).anySatisfy(p -> assertThat(p.schemes()).contains("nats+tls"));
    }
}
