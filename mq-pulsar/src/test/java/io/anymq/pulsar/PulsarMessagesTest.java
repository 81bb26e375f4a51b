package io.anymq.pulsar;

import io.anymq.Message;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.impl.TypedMessageBuilderImpl;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys and header values that are not UTF-8 text go through a Pulsar message and come back byte-exact. */
class PulsarMessagesTest {
    private static final byte[] NOT_UTF8 = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'k'};
    private static final java.time.Instant AT = java.time.Instant.ofEpochMilli(1000);

    private static org.apache.pulsar.client.api.Message<byte[]> native_(Message m) {
        TypedMessageBuilderImpl<byte[]> b = new TypedMessageBuilderImpl<>(null, Schema.BYTES);
        PulsarMessages.fill(b, m);
        return b.getMessage();
    }

    @Test
    void aBinaryKeyIsPulsarsBinaryKeyAndComesBackAsItsBytes() {
        Message m = Message.builder().payload("p").keyBytes(NOT_UTF8).id("i").timestamp(AT).build();
        org.apache.pulsar.client.api.Message<byte[]> n = native_(m);
        assertThat(n.hasBase64EncodedKey()).isTrue();
        assertThat(n.getKeyBytes()).isEqualTo(NOT_UTF8);
        Message back = PulsarMessages.toMessage(n, "t");
        assertThat(back.keyBytes()).isEqualTo(NOT_UTF8);
        assertThat(back.hasBinaryKey()).isTrue();
    }

    @Test
    void aTextKeyStaysPlainText() {
        org.apache.pulsar.client.api.Message<byte[]> n = native_(Message.builder().payload("p").key("clé").id("i").timestamp(AT).build());
        assertThat(n.hasBase64EncodedKey()).isFalse();
        assertThat(n.getKey()).isEqualTo("clé");
        assertThat(PulsarMessages.toMessage(n, "t").key()).isEqualTo("clé");
    }

    @Test
    void headerValuesThatAreNotTextTravelInBase64NamedInTheMarkerProperty() {
        Message m = Message.builder().payload("p").id("i").timestamp(AT).headerBytes("raw,1", NOT_UTF8).header("text", "grüß")
                .header("looks", "/w==").build();
        org.apache.pulsar.client.api.Message<byte[]> n = native_(m);
        assertThat(n.getProperty("raw,1")).isEqualTo("/wDDKGs=");
        assertThat(n.getProperty(PulsarMessages.BASE64)).isEqualTo("raw%2C1");
        assertThat(n.getProperty("text")).isEqualTo("grüß");
        Message back = PulsarMessages.toMessage(n, "t");
        assertThat(back.headerBytes("raw,1")).isEqualTo(NOT_UTF8);
        assertThat(back.header("text")).isEqualTo("grüß");
        assertThat(back.header("looks")).as("base64-looking text not listed stays text").isEqualTo("/w==");
        assertThat(back.headersAsBytes()).doesNotContainKey(PulsarMessages.BASE64);
        assertThat(back).isEqualTo(m);
        assertThat(native_(Message.builder().payload("p").id("i").timestamp(AT).header("h", "v").build()).getProperties())
                .doesNotContainKey(PulsarMessages.BASE64);
    }

    @Test
    void aPlainClientsBinaryKeyArrivesAsItsBytes() {
        TypedMessageBuilderImpl<byte[]> b = new TypedMessageBuilderImpl<>(null, Schema.BYTES);
        b.value("v".getBytes(StandardCharsets.UTF_8)).keyBytes(NOT_UTF8).property("anymq-id", "i").eventTime(1000);
        assertThat(PulsarMessages.toMessage(b.getMessage(), "t").keyBytes()).isEqualTo(NOT_UTF8);
    }
}
