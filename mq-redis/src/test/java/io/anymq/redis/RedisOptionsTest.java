package io.anymq.redis;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-redis declares every option it reads: a misspelling fails before any connection is tried. */
class RedisOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("redis://127.0.0.1:1?mdoe=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'mdoe' (from the URL): did you mean 'mode'?")
                .hasMessageContaining(RedisSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping"))
                .isEqualTo(OptionTables.declared(RedisSettings.OPTIONS, "*"));
    }

    @Test
    void aWaitTimeoutThatLettuceWouldCutShortOrANegativeReplicaCountIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> Messaging.connect("redis://127.0.0.1:1?wait-replicas=1&wait-timeout=10s"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'wait-timeout' must be at least 1ms and shorter than 'command-timeout' (PT10S)");
        assertThatThrownBy(() -> Messaging.connect("redis://127.0.0.1:1?wait-replicas=-1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'wait-replicas' must be 0 (no WAIT) or more: -1");
    }
}
