package io.anymq.memcached;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.tck.OptionTables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mq-memcached declares every option it reads: a misspelling fails before any connection is tried. */
class MemcachedOptionsTest {

    @Test
    void aMisspelledOptionFailsBeforeConnectingNamingTheNearestAndEveryKnownOne() {
        // port 1: nothing listens, so a ConfigurationException (not a ConnectionException) proves the check comes first
        assertThatThrownBy(() -> Messaging.connect("memcached://127.0.0.1:1?ack-wiat=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown option 'ack-wiat' (from the URL): did you mean 'ack-wait'?")
                .hasMessageContaining(MemcachedSettings.OPTIONS.describe());
    }

    @Test
    void theReadmeOptionTableNamesExactlyTheDeclaredOptionsAndThePassThroughPrefixes() throws IOException {
        assertThat(OptionTables.documented(Path.of("README.md"), "## URL and options", "## Key layout"))
                .isEqualTo(OptionTables.declared(MemcachedSettings.OPTIONS, "*"));
    }

    @Test
    void theSocketBuffersAreLeftToTheKernelAndNoDelayStays() {
        var builder = new net.rubyeye.xmemcached.XMemcachedClientBuilder("127.0.0.1:11211");
        assertThat(builder.getSocketOptions()).containsKey(com.google.code.yanf4j.core.impl.StandardSocketOption.SO_SNDBUF); // xmemcached's 32 KiB
        MemcachedConnector.kernelSizedSocketBuffers(builder);
        assertThat(builder.getSocketOptions()).doesNotContainKeys(com.google.code.yanf4j.core.impl.StandardSocketOption.SO_SNDBUF,
                com.google.code.yanf4j.core.impl.StandardSocketOption.SO_RCVBUF);
        assertThat(builder.getSocketOptions()).containsEntry(com.google.code.yanf4j.core.impl.StandardSocketOption.TCP_NODELAY, true);
    }
}
