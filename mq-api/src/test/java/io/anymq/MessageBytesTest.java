package io.anymq;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys and header values are kept byte for byte; a String accessor never decodes with replacement characters. */
class MessageBytesTest {
    private static final byte[] NOT_UTF8 = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28};
    private static final byte[] CESU_SURROGATE = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};

    @Test
    void aKeyThatIsNotTextIsKeptAndItsStringAccessorThrows() {
        Message m = Message.builder().payload("x").keyBytes(NOT_UTF8).build();
        assertThat(m.hasKey()).isTrue();
        assertThat(m.hasBinaryKey()).isTrue();
        assertThat(m.isText()).isFalse();
        assertThat(m.keyBytes()).isEqualTo(NOT_UTF8).isNotSameAs(m.keyBytes());
        assertThatThrownBy(m::key).isInstanceOf(BinaryDataException.class).hasMessageContaining("4 bytes")
                .hasMessageContaining("ff 00 c3 28").hasMessageContaining("keyBytes()");
        assertThat(m.toString()).contains("key=(4 bytes, not UTF-8)");
        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThat(m.toBuilder().build().hashCode()).isEqualTo(m.hashCode());
        assertThat(Message.builder().payload("x").keyBytes(new byte[] {(byte) 0xff, 1}).build()).isNotEqualTo(m);
    }

    @Test
    void bytesThatAreUtf8AreText() {
        Message fromBytes = Message.builder().payload("x").keyBytes("clé".getBytes(StandardCharsets.UTF_8))
                .headerBytes("h", "grüß".getBytes(StandardCharsets.UTF_8)).build();
        Message fromText = Message.builder().payload("x").key("clé").header("h", "grüß").build();
        assertThat(fromBytes).isEqualTo(fromText);
        assertThat(fromBytes.isText()).isTrue();
        assertThat(fromBytes.key()).isEqualTo("clé");
        assertThat(fromBytes.headers()).containsExactly(Map.entry("h", "grüß"));
        assertThat(fromText.keyBytes()).isEqualTo("clé".getBytes(StandardCharsets.UTF_8));
        assertThat(fromText.headerBytes("h")).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
        assertThat(fromText.headersAsBytes().get("h")).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
        assertThat(Message.of("x").keyBytes()).isNull();
        assertThat(Message.of("x").hasKey()).isFalse();
    }

    @Test
    void headerValuesThatAreNotTextAreKeptInOrderAndTheirStringAccessorsThrow() {
        Message m = Message.builder().payload("x").header("a", "text").headerBytes("raw", CESU_SURROGATE)
                .headerBytes("none", (byte[]) null).header("z", "").build();
        assertThat(m.isText()).isFalse();
        assertThat(m.hasKey()).isFalse();
        assertThat(m.headersAsBytes().keySet()).containsExactly("a", "raw", "none", "z");
        assertThat(m.headersAsBytes()).containsKey("none");
        assertThat(m.headersAsBytes().get("none")).isNull();
        assertThat(m.headerBytes("raw")).isEqualTo(CESU_SURROGATE);
        assertThat(m.headerBytes("none")).isNull();
        assertThat(m.headerBytes("missing")).isNull();
        assertThat(m.header("a")).isEqualTo("text");
        assertThat(m.header("z")).isEmpty();
        assertThat(m.header("missing")).isNull();
        assertThatThrownBy(() -> m.header("raw")).isInstanceOf(BinaryDataException.class)
                .hasMessageContaining("'raw'").hasMessageContaining("3 bytes").hasMessageNotContaining("ed a0");
        assertThatThrownBy(() -> m.header("none")).isInstanceOf(BinaryDataException.class).hasMessageContaining("no value");
        assertThatThrownBy(m::headers).isInstanceOf(BinaryDataException.class).hasMessageContaining("'raw'");
        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThat(m.hasBinaryHeaderValue()).isTrue();
        assertThat(m.hasNullHeaderValue()).isTrue();
        // replacing the binary value with text makes the message text again
        Message text = m.toBuilder().header("raw", "ok").header("none", "v").build();
        assertThat(text.isText()).isTrue();
        assertThat(text.headers()).containsExactly(Map.entry("a", "text"), Map.entry("raw", "ok"), Map.entry("none", "v"),
                Map.entry("z", ""));
        // the core's own headers are added without losing the bytes
        Message forwarded = m.withHeader("anymq-x", "y");
        assertThat(forwarded.headerBytes("raw")).isEqualTo(CESU_SURROGATE);
        assertThat(forwarded.header("anymq-x")).isEqualTo("y");
        assertThat(forwarded.firstReservedHeader()).isEqualTo("anymq-x");
    }

    @Test
    void theByteArraysGivenAreCopied() {
        byte[] key = NOT_UTF8.clone();
        byte[] value = NOT_UTF8.clone();
        Message m = Message.builder().payload("x").keyBytes(key).headerBytes("h", value).build();
        key[0] = 1;
        value[0] = 1;
        m.headerBytes("h")[1] = 9;
        m.headersAsBytes().get("h")[1] = 9;
        assertThat(m.keyBytes()).isEqualTo(NOT_UTF8);
        assertThat(m.headerBytes("h")).isEqualTo(NOT_UTF8);
        assertThatThrownBy(() -> m.headersAsBytes().put("x", null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNullPayloadIsRefusedNotMadeEmpty() {
        assertThatThrownBy(() -> Message.builder().payload((byte[]) null)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("payload is null");
        assertThatThrownBy(() -> Message.builder().payload((String) null)).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().payload((java.nio.ByteBuffer) null)).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.of((byte[]) null)).isInstanceOf(InvalidMessageException.class);
        assertThat(Message.builder().payload(new byte[0]).build().payloadSize()).isZero();
        assertThat(Message.builder().payload("").build().payloadSize()).isZero();
    }

    @Test
    void textWithALoneSurrogateIsRefusedNotTurnedIntoAQuestionMark() {
        assertThatThrownBy(() -> Message.builder().header("h", "a\uD800b")).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("lone surrogate").hasMessageContaining("U+D800").hasMessageContaining("index 1");
        assertThatThrownBy(() -> Message.builder().header("h", "end\uD83D")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().header("h", "\uDC00")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().header("n\uDC00", "v")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().key("k\uD800")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().payload("p\uDFFF")).isInstanceOf(InvalidMessageException.class);
        Message pair = Message.builder().key("📨").header("h", "a📨b").payload("🚀").build();
        assertThat(pair.header("h")).isEqualTo("a📨b");
        assertThat(pair.headerBytes("h")).isEqualTo("a📨b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBinaryKeyWithTextHeadersNeedsOnlyBinaryData() {
        try (MessagingClient client = Messaging.connect("fake:" + java.util.UUID.randomUUID() + "?without=NULL_HEADER_VALUES,REPEATED_HEADERS");
             Producer p = client.producer("t")) {
            p.send(Message.builder().payload("x").keyBytes(NOT_UTF8).header("h", "v").build()).join();
            p.send(Message.builder().payload("x").keyBytes(NOT_UTF8).build()).join();
        }
    }

    @Test
    void anEmptyKeyIsRefusedAsBytesToo() {
        assertThatThrownBy(() -> Message.builder().keyBytes(new byte[0])).isInstanceOf(InvalidMessageException.class);
        assertThat(Message.builder().keyBytes(null).build().hasKey()).isFalse();
    }

    @Test
    void aBackendWithoutTheCapabilitiesRefusesTheSendAndOneWithThemKeepsTheBytes() {
        try (MessagingClient plain = Messaging.connect("fake:" + java.util.UUID.randomUUID() + "?without=BINARY_DATA,NULL_HEADER_VALUES");
             Producer p = plain.producer("t")) {
            assertThatThrownBy(() -> p.send(Message.builder().payload("x").keyBytes(NOT_UTF8).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.BINARY_DATA))
                    .hasMessageContaining("key");
            assertThatThrownBy(() -> p.send(Message.builder().payload("x").headerBytes("h", NOT_UTF8).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("header value");
            assertThatThrownBy(() -> p.send(Message.builder().payload("x").headerBytes("h", (byte[]) null).build()))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability())
                            .isEqualTo(Capability.NULL_HEADER_VALUES));
            p.send(Message.builder().payload("x").keyBytes("text".getBytes(StandardCharsets.UTF_8)).build()).join();
        }
        String name = java.util.UUID.randomUUID().toString();
        try (MessagingClient client = Messaging.connect("fake:" + name); Producer p = client.producer("t")) {
            Message sent = Message.builder().payload("x").keyBytes(NOT_UTF8).headerBytes("raw", CESU_SURROGATE)
                    .headerBytes("none", (byte[]) null).build();
            p.send(sent).join();
            Message atDriver = io.anymq.fake.FakeBroker.named(name).sent("t").get(0);
            assertThat(atDriver.keyBytes()).isEqualTo(NOT_UTF8);
            assertThat(atDriver.headerBytes("raw")).isEqualTo(CESU_SURROGATE);
            assertThat(atDriver.headersAsBytes()).containsKey("none");
        }
    }
}
