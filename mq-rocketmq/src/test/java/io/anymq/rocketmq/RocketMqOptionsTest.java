package io.anymq.rocketmq;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-rocketmq declares every option it reads: a misspelling fails before any connection is tried. */
class RocketMqOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("rocketmq://127.0.0.1:1?queus=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'queus' (from the URL): did you mean 'queues'?")
                .hasMessageContaining(RocketMqSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        Set<String> declared = new TreeSet<>(OptionTables.declared(RocketMqSettings.OPTIONS, "*"));
        // rocketmq.* is open to the core and checked by the module against its few native names, each a row
        assertThat(RocketMqSettings.OPTIONS.passThroughPrefixes()).containsExactly("rocketmq.");
        declared.remove("rocketmq.*");
        RocketMqSettings.NATIVE.keySet().forEach(n -> declared.add("rocketmq." + n));
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Mapping")).isEqualTo(declared);
    }
}
