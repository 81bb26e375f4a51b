package io.anymq.rabbitmq;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-rabbitmq declares every option it reads: a misspelling fails before any connection is tried. */
class RabbitMqOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("amqp://127.0.0.1:1?queue-tpye=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'queue-tpye' (from the URL): did you mean 'queue-type'?")
                .hasMessageContaining(RabbitMqSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping"))
                .isEqualTo(OptionTables.declared(RabbitMqSettings.OPTIONS, "*"));
    }
}
