package io.anymq;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagingTest {

    @Test
    void findsProvidersByServiceLoader() {
        assertThat(Messaging.providers()).anySatisfy(p -> assertThat(p.schemes()).contains("fake"));
        try (MessagingClient c = Messaging.connect("FAKE:x")) {
            assertThat(c.provider()).isEqualTo("fake");
            assertThat(c.capabilities().maxPayloadBytes()).isEqualTo(1024);
        }
        try (MessagingClient c = Messaging.connect(MessagingConfig.from(Map.of("url", "fake:y")))) {
            assertThat(c.provider()).isEqualTo("fake");
        }
    }

    @Test
    void anUnknownSchemeListsTheAvailableOnes() {
        assertThatThrownBy(() -> Messaging.connect("kafak://h:9092"))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessageContaining("kafak")
                .hasMessageContaining("fake");
    }

    @Test
    void aMalformedUrlIsTypedAndRedacted() {
        assertThatThrownBy(() -> Messaging.connect("fake://u:secret@h:nope"))
                .isInstanceOf(MalformedUrlException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void unwrapGivesTheDriverOrAClearError() {
        try (MessagingClient c = Messaging.connect("fake:z")) {
            assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("String");
        }
    }
}
