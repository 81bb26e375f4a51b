package io.anymq.pulsar;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-pulsar declares every option it reads: a misspelling fails before any connection is tried. */
class PulsarOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("pulsar://127.0.0.1:1?tennant=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'tennant' (from the URL): did you mean 'tenant'?")
                .hasMessageContaining(PulsarSettings.OPTIONS.describe());
    }

    @Test
    void aNumberOfIoThreadsBelowOneOrNotANumberFailsBeforeConnecting() {
        // the module makes the client's IO threads itself (PulsarConnection), so it checks their number itself
        for (String bad : new String[] {"0", "-2", "two"}) {
            assertThatThrownBy(() -> Messaging.connect("pulsar://127.0.0.1:1?pulsar.client.numIoThreads=" + bad))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("option 'pulsar.client.numIoThreads' must be a whole number of at least 1: '" + bad + "'");
        }
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping"))
                .isEqualTo(OptionTables.declared(PulsarSettings.OPTIONS, "<name>"));
    }
}
