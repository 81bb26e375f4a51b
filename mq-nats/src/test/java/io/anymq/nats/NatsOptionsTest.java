package io.anymq.nats;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

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
        assertThat(OptionTables.documented(Path.of("README.md"), "## Options", "## Mapping"))
                .isEqualTo(OptionTables.declared(NatsSettings.OPTIONS, "*"));
    }

    @Test
    void theGenericTlsSchemeIsRefusedNamingNatsPlusTls() {
        assertThatThrownBy(() -> Messaging.connect("tls://127.0.0.1:1"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("nats+tls://");
        assertThat(Messaging.providers()).anySatisfy(p -> assertThat(p.schemes()).contains("nats+tls"));
    }

    @Test
    void sendGeneratedIdsOffIsRefusedWithJetStreamBeforeConnecting() {
        assertThatThrownBy(() -> Messaging.connect("nats://127.0.0.1:1?jetstream=true&send-generated-ids=false"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("send-generated-ids=false").hasMessageContaining("core NATS");
    }
}
