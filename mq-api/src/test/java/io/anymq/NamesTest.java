package io.anymq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "Orders.v2", "0day", "a-b_c.d", "x123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"})
    void acceptsPortableNames(String name) {
        assertThat(Names.isValid(name)).isTrue();
        assertThat(Names.checkTopic(name)).isEqualTo(name);
        assertThat(Names.checkGroup(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "-x", "_x", "a b", "a/b", "a:b", "a*", "ä", "a\u0000b", "a#b", "a$b"})
    void refusesNonPortableNames(String name) {
        assertThat(Names.isValid(name)).isFalse();
        assertThatThrownBy(() -> Names.checkTopic(name)).isInstanceOf(InvalidNameException.class).hasMessageContaining("topic name");
        assertThatThrownBy(() -> Names.checkGroup(name)).isInstanceOf(InvalidNameException.class).hasMessageContaining("group name");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Names.checkTopic("a b")).hasMessageContaining("' '").hasMessageContaining("index 1");
        assertThatThrownBy(() -> Names.checkTopic("a\u0007")).hasMessageContaining("U+0007").hasMessageContaining("\\u0007");
        assertThatThrownBy(() -> Names.checkTopic(null)).isInstanceOf(InvalidNameException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Names.checkTopic("_x")).hasMessageContaining("must start with");
        String tooLong = "a".repeat(Names.MAX_LENGTH + 1);
        assertThat(Names.isValid(tooLong)).isFalse();
        assertThatThrownBy(() -> Names.checkTopic(tooLong)).hasMessageContaining("101 characters").hasMessageContaining("100");
    }
}
