package io.anymq.spi;

import io.anymq.EnvelopeFormatException;
import io.anymq.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {

    private static Message full() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        Message.Builder b = Message.builder()
                .payload(everyByte)
                .key("clé-🔑")
                .id("01JD-id")
                .timestamp(Instant.ofEpochSecond(1_700_000_000L, 123_456_789))
                .deliverAt(Instant.parse("2030-01-02T03:04:05.000000001Z"));
        for (int i = 0; i < 12; i++) {
            b.header("h" + i + "-ü", "wert " + i + " ✓");
        }
        return b.header("empty", "").header(ReservedHeaders.DEAD_LETTER_REASON, "rejected").build();
    }

    @Test
    void roundTripsEveryField() {
        Message m = full();
        Message back = EnvelopeCodec.decode(EnvelopeCodec.encode(m));
        assertThat(back.payload()).isEqualTo(m.payload());
        assertThat(back.key()).isEqualTo(m.key());
        assertThat(back.id()).isEqualTo(m.id());
        assertThat(back.timestamp()).isEqualTo(m.timestamp());
        assertThat(back.deliverAt()).isEqualTo(m.deliverAt());
        assertThat(back.headers()).containsExactlyEntriesOf(m.headers());
        assertThat(back).isEqualTo(m);
    }

    @Test
    void roundTripsAnEmptyMessageAndOneOfOneMebibyte() {
        Message empty = Message.of(new byte[0]);
        Message back = EnvelopeCodec.decode(EnvelopeCodec.encode(empty));
        assertThat(back.payload()).isEmpty();
        assertThat(back.key()).isNull();
        assertThat(back.id()).isNull();
        assertThat(back.headers()).isEmpty();
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 7);
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(Message.of(big))).payload()).isEqualTo(big);
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        Message m = Message.builder().payload("hi").id("i").build();
        byte[] e = EnvelopeCodec.encode(m);
        // magic, version 1, flags=id, id "i", 0 headers, payload "hi", 4 bytes CRC32C
        assertThat(Arrays.copyOf(e, e.length - 4)).containsExactly(0xAE - 256, 'M', 'Q', 1, 1, 1, 'i', 0, 2, 'h', 'i');
        assertThat(EnvelopeCodec.looksLikeEnvelope(e)).isTrue();
        assertThat(EnvelopeCodec.looksLikeEnvelope("hello".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(EnvelopeCodec.varintSize(127)).isEqualTo(1);
        assertThat(EnvelopeCodec.varintSize(128)).isEqualTo(2);
        assertThat(EnvelopeCodec.varintSize(Integer.MAX_VALUE)).isEqualTo(5);
    }

    @Test
    void everyTruncationIsAClearError() {
        byte[] e = EnvelopeCodec.encode(full());
        for (int length = 0; length < e.length; length++) {
            byte[] cut = Arrays.copyOf(e, length);
            assertThatThrownBy(() -> EnvelopeCodec.decode(cut))
                    .as("cut at %d of %d", length, e.length)
                    .isInstanceOf(EnvelopeFormatException.class)
                    .hasMessageMatching("(?s).*(truncated|corrupted|checksum).*");
        }
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] e = EnvelopeCodec.encode(full());
        for (int i = 0; i < e.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = e.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> EnvelopeCodec.decode(bad))
                        .as("byte %d bit %d", i, bit)
                        .isInstanceOf(EnvelopeFormatException.class);
            }
        }
    }

    @Test
    void trailingBytesAreCorruption() {
        byte[] e = EnvelopeCodec.encode(Message.of("x"));
        byte[] longer = Arrays.copyOf(e, e.length + 3);
        assertThatThrownBy(() -> EnvelopeCodec.decode(longer)).isInstanceOf(EnvelopeFormatException.class);
    }

    @Test
    void foreignBytesAreNamedAsSuch() {
        assertThatThrownBy(() -> EnvelopeCodec.decode("{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("not an anymq envelope")
                .hasMessageContaining("7b 22");
        assertThatThrownBy(() -> EnvelopeCodec.decode(null)).isInstanceOf(EnvelopeFormatException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode(new byte[0])).isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aNewerVersionAsksForAnUpgrade() {
        byte[] e = EnvelopeCodec.encode(Message.of("x"));
        e[3] = 2;
        assertThatThrownBy(() -> EnvelopeCodec.decode(e)).isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("version 2").hasMessageContaining("upgrade");
    }

    @Test
    void invalidUtf8IsCorruptionEvenWithAMatchingChecksum() {
        Message m = Message.builder().payload("p").key("k").build();
        byte[] e = EnvelopeCodec.encode(m);
        int keyByte = 6; // magic(3) version flags, key length, key
        assertThat(e[keyByte]).isEqualTo((byte) 'k');
        e[keyByte] = (byte) 0xC3; // a lone lead byte
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(e, 0, e.length - 4);
        java.nio.ByteBuffer.wrap(e, e.length - 4, 4).putInt((int) crc.getValue());
        assertThatThrownBy(() -> EnvelopeCodec.decode(e)).isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("UTF-8");
    }
}
