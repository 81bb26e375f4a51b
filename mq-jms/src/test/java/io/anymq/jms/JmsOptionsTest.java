package io.anymq.jms;

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

/** mq-jms declares every option it reads: a misspelling fails before any connection is tried. */
class JmsOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("artemis://127.0.0.1:1?schedular=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'schedular' (from the URL): did you mean 'scheduler'?")
                .hasMessageContaining(JmsSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
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
        for (ConfigOption<?> o : JmsSettings.OPTIONS.options()) {
            declared.add(o.name());
        }
        JmsSettings.OPTIONS.passThroughPrefixes().forEach(p -> declared.add(p + "*"));
        assertThat(table).isEqualTo(declared);
    }

    @Test
    void aNativeOptionOfAnotherDialectIsRefusedNotIgnored() {
        assertThatThrownBy(() -> Messaging.connect("artemis://127.0.0.1:1?activemq.useCompression=true"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'activemq.useCompression' applies to activemq:// only")
                .hasMessageContaining("artemis.*");
    }
}
