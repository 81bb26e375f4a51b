package io.anymq.jms;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

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
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping"))
                .isEqualTo(OptionTables.declared(JmsSettings.OPTIONS, "*"));
    }

    @Test
    void aNativeOptionOfAnotherDialectIsRefusedNotIgnored() {
        assertThatThrownBy(() -> Messaging.connect("artemis://127.0.0.1:1?activemq.useCompression=true"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'activemq.useCompression' applies to activemq:// only")
                .hasMessageContaining("artemis.*");
    }

    @Test
    void activeMqWireFormatOptionsGoOnTheTcpTransportWithTheSettersSpelling() {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("wireFormat.maxinactivityduration", "2000");
        options.put("wireFormat.maxInactivityDurationInitalDelay", " 1000 ");
        options.put("sendTimeout", "5000");
        assertThat(ActiveMqDialect.wireFormatOptions(options))
                .isEqualTo("&wireFormat.maxInactivityDuration=2000&wireFormat.maxInactivityDurationInitalDelay=1000");
        assertThat(options).containsOnlyKeys("sendTimeout"); // left for the connection factory's setters
    }

    @Test
    void aMisspelledOrBadActiveMqWireFormatOptionFailsBeforeConnecting() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("activemq://127.0.0.1:1?activemq.wireFormat.maxInactivityDurations=2000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'activemq.wireFormat.maxInactivityDurations' is not a setting of OpenWireFormatFactory")
                .hasMessageContaining("maxInactivityDuration");
        assertThatThrownBy(() -> Messaging.connect("activemq://127.0.0.1:1?activemq.wireFormat.maxInactivityDuration=2s"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("activemq.wireFormat.maxInactivityDuration");
    }
}
