package io.anymq.jms;

import io.anymq.ConfigurationException;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeOptionsTest {

    @Test
    void settersAreCalledByName() {
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory();
        NativeOptions.apply(f, "activemq.", Map.of("sendTimeout", "1234", "UseCompression", "true", "clientIDPrefix", "p"));
        assertThat(f.getSendTimeout()).isEqualTo(1234);
        assertThat(f.isUseCompression()).isTrue();
        assertThat(f.getClientIDPrefix()).isEqualTo("p");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> NativeOptions.apply(new ActiveMQConnectionFactory(), "activemq.", Map.of("sendTimeOUT2", "1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("activemq.sendTimeOUT2")
                .hasMessageContaining("sendTimeout");
    }

    @Test
    void aBadValueIsAConfigurationErrorThatHidesSecrets() {
        assertThatThrownBy(() -> NativeOptions.apply(new ActiveMQConnectionFactory(), "activemq.", Map.of("sendTimeout", "soon")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> NativeOptions.apply(new ActiveMQConnectionFactory(), "activemq.", Map.of("sendTimeout", "x", "password", "s3cret")))
                .isInstanceOf(ConfigurationException.class).hasMessageNotContaining("s3cret");
    }
}
