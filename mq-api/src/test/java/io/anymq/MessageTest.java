package io.anymq;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTest {

    @Test
    void forADriverThatTakesIdOrTimeFromThePositionOnlyTheRestIsStamped() {
        Message m = Message.of("x").stampedFor(1_700_000_000_000L, false, true);
        assertThat(m.id()).isNull();
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        Message given = Message.builder().payload("x").id("mine").build().stampedFor(1_700_000_000_000L, false, true);
        assertThat(given.id()).isEqualTo("mine");
        assertThat(given.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        Message neither = Message.of("x").stampedFor(1_700_000_000_000L, false, false);
        assertThat(neither.id()).isNull();
        assertThat(neither.timestamp()).isNull();
        Message timed = Message.builder().payload("x").timestamp(Instant.EPOCH).build().stampedFor(1_700_000_000_000L, false, false);
        assertThat(timed.timestamp()).isEqualTo(Instant.EPOCH);
        Message idOnly = Message.of("x").stampedFor(1_700_000_000_000L, true, false);
        assertThat(idOnly.id()).hasSize(26);
        assertThat(idOnly.timestamp()).isNull();
    }

    @Test
    void aGeneratedIdIsAUlidThatCarriesTheSendTime() {
        Message sent = Message.of("x").stampedLazily(1469918176385L);
        assertThat(sent.id()).hasSize(26);
        assertThat(io.anymq.spi.IdTimes.timeOf(sent.id())).isEqualTo(sent.timestamp()).isEqualTo(Instant.ofEpochMilli(1469918176385L));
        assertThat(io.anymq.spi.IdTimes.timestampInId(sent)).isTrue();
        assertThat(io.anymq.spi.IdTimes.timestampInId(Message.builder().payload("x").id(sent.id())
                .timestamp(Instant.ofEpochMilli(1469918176386L)).build())).isFalse();
    }

    @Test
    void isImmutable() {
        byte[] bytes = {1, 2, 3};
        Message m = Message.builder().payload(bytes).header("a", "1").build();
        bytes[0] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
        m.payload()[1] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> m.headers().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        ByteBuffer view = m.payloadBuffer();
        assertThat(view.isReadOnly()).isTrue();
    }

    @Test
    void keepsHeaderOrderAndUnicode() {
        Message m = Message.builder().header("z", "ünïcødé ✓").header("a", "").header("m", "3").build();
        assertThat(m.headers().keySet()).containsExactly("z", "a", "m");
        assertThat(m.header("z")).isEqualTo("ünïcødé ✓");
        assertThat(m.header("missing")).isNull();
    }

    @Test
    void refusesNonsenseWithTypedErrors() {
        assertThatThrownBy(() -> Message.builder().key("")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().id("")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().header("", "v")).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Message.builder().header("n", null)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("'n'");
    }

    @Test
    void theSdkStampsIdAndTimestampOnlyWhereMissing() {
        Message bare = Message.of("x");
        assertThat(bare.id()).isNull();
        Message stamped = bare.stampedLazily(1_000);
        assertThat(stamped.id()).isNotBlank();
        assertThat(stamped.timestamp()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(stamped.stampedLazily(2_000)).isSameAs(stamped);
        Message given = Message.builder().payload("x").id("mine").build();
        assertThat(given.stampedLazily(5).id()).isEqualTo("mine");
        assertThat(Message.of("a").stampedLazily(1).id()).isNotEqualTo(Message.of("a").stampedLazily(1).id());
    }

    @Test
    void equalityIsByContent() {
        Message a = Message.builder().payload("p").key("k").id("i").header("h", "v").build();
        Message b = Message.builder().payload("p").key("k").id("i").header("h", "v").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.toBuilder().key("other").build());
    }
}
