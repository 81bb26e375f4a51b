package io.anymq.spi;

import io.anymq.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {
    @Test
    void aDriverReadsThePayloadArrayItselfWhereAnApplicationGetsACopy() {
        Message m = Message.builder().payload("body").build();
        assertThat(Payloads.shared(m)).isSameAs(Payloads.shared(m)).isEqualTo("body".getBytes(StandardCharsets.UTF_8));
        assertThat(m.payload()).isNotSameAs(Payloads.shared(m)).isEqualTo(Payloads.shared(m));
    }

    @Test
    void anAdoptedArrayIsThePayloadWithoutACopy() {
        byte[] received = {1, 2, 3};
        Message m = Payloads.adopt(Message.builder(), received).id("x").build();
        assertThat(Payloads.shared(m)).isSameAs(received);
        assertThat(m.payload()).containsExactly(1, 2, 3);
        assertThat(Payloads.shared(Payloads.adopt(Message.builder(), new byte[0]).build())).isEmpty();
        // toBuilder keeps the array; a new payload through the public builder is copied as before
        assertThat(Payloads.shared(m.toBuilder().build())).isSameAs(received);
        assertThat(Payloads.shared(Message.builder().payload(received).build())).isNotSameAs(received);
    }

    @Test
    void onlyMessageInstallsTheAccessorAndNullsAreNamed() {
        assertThatThrownBy(() -> Payloads.install(new Payloads.Access() {
            @Override
            public byte[] payload(Message message) {
                return new byte[0];
            }

            @Override
            public void adopt(Message.Builder builder, byte[] owned) {
            }

            @Override
            public String generatedId(Message message, String prefix) {
                return null;
            }

            @Override
            public void timestampMillis(Message.Builder builder, long millis) {
            }

            @Override
            public boolean generatedStamp(Message message) {
                return false;
            }

            @Override
            public void namedAtReceipt(Message.Builder builder, long millis) {
            }
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Payloads.shared(null)).hasMessageContaining("message");
        assertThatThrownBy(() -> Payloads.adopt(Message.builder(), null)).hasMessageContaining("payload");
    }
}
