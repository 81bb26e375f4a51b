package io.anymq.inmemory;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.spi.ConfigOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mem: declares every option it reads; anything else is refused, and the README's table matches the declarations. */
class InMemoryOptionsTest {

    @Test
    void anUnknownOptionIsRefusedNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> Messaging.connect("mem:" + UUID.randomUUID() + "?bogus=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'bogus' (from the URL)")
                .hasMessageContaining("block-timeout, capacity, max-bytes, max-payload, when-full");
        assertThatThrownBy(() -> Messaging.connect("mem:" + UUID.randomUUID() + "?capacty=5"))
                .hasMessageContaining("did you mean 'capacity'?");
    }

    @Test
    void declaredOptionsStillWork() {
        try (MessagingClient c = Messaging.connect("mem:" + UUID.randomUUID() + "?capacity=7&when-full=fail&block-timeout=1s&max-payload=100")) {
            assertThat(c.capabilities().maxPayloadBytes()).isEqualTo(100);
            assertThat(c.unwrap(InMemoryBroker.class).capacity()).isEqualTo(7);
        }
    }

    @Test
    void theReadmeOptionTableListsExactlyTheDeclaredOptionsWithTheirDefaults() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> table = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\|").matcher(readme);
        while (m.find()) {
            table.put(m.group(1), m.group(2));
        }
        Map<String, String> declared = new LinkedHashMap<>();
        for (ConfigOption<?> o : new InMemoryProvider().configOptions().options()) {
            declared.put(o.name(), o.defaultText());
        }
        assertThat(table).isEqualTo(declared);
    }
}
