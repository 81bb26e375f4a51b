package io.anymq;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A header name may occur more than once (Kafka, NATS): every value is kept in order, no accessor picks one. */
class MessageRepeatedHeadersTest {
    private static final byte[] NOT_UTF8 = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28};

    @Test
    void everyValueIsKeptInOrderAndTheOneValueAccessorsRefuseTheRepeatedName() {
        Message m = Message.builder().payload("x").header("a", "first").addHeader("h", "1").addHeader("h", "2")
                .addHeaderBytes("b", NOT_UTF8).addHeader("h", "1").build();
        assertThat(m.hasRepeatedHeaders()).isTrue();
        assertThat(m.isText()).isFalse();
        assertThat(m.headerValues("h")).containsExactly("1", "2", "1");
        assertThat(m.headerValues("a")).containsExactly("first");
        assertThat(m.headerValues("missing")).isEmpty();
        assertThat(m.headerValuesAsBytes("b")).singleElement().isEqualTo(NOT_UTF8);
        assertThat(m.headerFields()).extracting(Map.Entry::getKey).containsExactly("a", "h", "h", "b", "h");
        assertThat(m.header("a")).isEqualTo("first");
        assertThat(m.headerBytes("b")).isEqualTo(NOT_UTF8);
        assertThat(m.header("missing")).isNull();
        assertThatThrownBy(() -> m.header("h")).isInstanceOf(RepeatedHeaderException.class)
                .hasMessageContaining("'h' occurs 3 times").hasMessageContaining("headerValues")
                .satisfies(e -> assertThat(((RepeatedHeaderException) e).count()).isEqualTo(3));
        assertThatThrownBy(() -> m.headerBytes("h")).isInstanceOf(RepeatedHeaderException.class);
        assertThatThrownBy(m::headers).isInstanceOf(RepeatedHeaderException.class);
        assertThatThrownBy(m::headersAsBytes).isInstanceOf(RepeatedHeaderException.class);
        assertThatThrownBy(() -> m.headerValues("b")).isInstanceOf(BinaryDataException.class);
        assertThat(m.toString()).contains("headers=[a, h, h, b, h]");
    }

    @Test
    void copiesAndEqualityKeepEveryField() {
        Message m = Message.builder().payload("x").addHeader("h", "1").addHeaderBytes("h", null).addHeader("h", "3").build();
        assertThat(m.headerValuesAsBytes("h")).containsExactly("1".getBytes(StandardCharsets.UTF_8), null,
                "3".getBytes(StandardCharsets.UTF_8));
        assertThat(m.hasNullHeaderValue()).isTrue();
        assertThat(m.toBuilder().build()).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(Message.builder().payload("x").addHeader("h", "1").addHeader("h", "3").addHeaderBytes("h", null).build())
                .isNotEqualTo(m);
        Message more = m.toBuilder().addHeader("h", "4").build();
        assertThat(more.headerValuesAsBytes("h")).hasSize(4);
        assertThatThrownBy(() -> more.headerValues("h")).isInstanceOf(BinaryDataException.class);
        assertThat(m.withHeader("anymq-x", "y").headerFields()).hasSize(4);
    }

    @Test
    void headerReplacesEveryValueAndAMessageWithoutRepeatsIsTheCommonKind() {
        Message replaced = Message.builder().payload("x").addHeader("h", "1").header("k", "v").addHeader("h", "2")
                .header("h", "only").build();
        assertThat(replaced.hasRepeatedHeaders()).isFalse();
        assertThat(replaced.isText()).isTrue();
        assertThat(replaced.headers()).containsExactly(Map.entry("h", "only"), Map.entry("k", "v"));
        assertThat(replaced).isEqualTo(Message.builder().payload("x").header("h", "only").header("k", "v").build());
        Message added = Message.builder().payload("x").addHeader("a", "1").addHeader("b", "2").build();
        assertThat(added).isEqualTo(Message.builder().payload("x").header("a", "1").header("b", "2").build());
        assertThat(added.headerFields()).extracting(Map.Entry::getKey).containsExactly("a", "b");
        assertThat(added.headerValues("a")).containsExactly("1");
    }

    @Test
    void aBackendWithoutTheCapabilityRefusesTheSend() {
        try (MessagingClient plain = Messaging.connect("fake:" + java.util.UUID.randomUUID() + "?without=REPEATED_HEADERS");
             Producer p = plain.producer("t")) {
            assertThatThrownBy(() -> p.send(Message.builder().payload("x").addHeader("h", "1").addHeader("h", "2").build()))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability())
                            .isEqualTo(Capability.REPEATED_HEADERS));
            p.send(Message.builder().payload("x").addHeader("h", "1").addHeader("k", "2").build()).join();
        }
        try (MessagingClient client = Messaging.connect("fake:" + java.util.UUID.randomUUID()); Producer p = client.producer("t")) {
            p.send(Message.builder().payload("x").addHeader("h", "1").addHeader("h", "2").build()).join();
        }
    }
}
