package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

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
                .hasMessageContaining("auto-create, commit-interval, connect-timeout, max-payload, mode, partitions, replication, "
                        + "sasl.mechanism, tls, tls.truststore, tls.truststore-password; and any name under kafka.");
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?mdoe=shared"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("did you mean 'mode'?");
        assertThatThrownBy(() -> Messaging.connect("kafka://127.0.0.1:1?mode=queue"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("one of ordered, shared");
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefix() throws IOException {
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping"))
                .isEqualTo(OptionTables.declared(KafkaSettings.OPTIONS, "*"));
    }
}
