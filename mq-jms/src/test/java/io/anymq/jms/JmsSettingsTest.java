package io.anymq.jms;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JmsSettingsTest {

    @Test
    void theTrustStoreNeedsTlsAndAReadableFile(@TempDir Path dir) throws Exception {
        Path store = Files.write(dir.resolve("trust.p12"), new byte[]{1});
        assertThatThrownBy(() -> JmsSettings.from(MessagingConfig.of("artemis://h:1?tls.truststore=" + store), 61616, false))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("artemis+ssl://");
        assertThatThrownBy(() -> JmsSettings.from(MessagingConfig.of("artemis+ssl://h:1?tls.truststore=" + dir.resolve("missing.p12")), 61616, true))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("missing.p12");
        JmsSettings s = JmsSettings.from(MessagingConfig.of("artemis+ssl://u:pw1@h:1?tls.truststore=" + store + "&tls.truststore-password=pw2"), 61616, true);
        assertThat(s.tls()).isTrue();
        assertThat(s.trustStoreType()).isEqualTo("PKCS12");
        assertThat(s.toString()).contains("tls=true").contains(store.toString()).doesNotContain("pw1").doesNotContain("pw2");
    }

    @Test
    void artemisTlsGoesIntoTheConnectorWithHostVerification(@TempDir Path dir) throws Exception {
        Path store = Files.write(dir.resolve("trust.jks"), new byte[]{1});
        JmsSettings s = JmsSettings.from(MessagingConfig.of("artemis+ssl://h:1?tls.truststore=" + store + "&tls.truststore-password=pw2"), 61616, true);
        ActiveMQConnectionFactory f = ArtemisDialect.newFactory(s);
        TransportConfiguration tc = f.getStaticConnectors()[0];
        Map<String, Object> p = tc.getParams();
        assertThat(p).containsEntry("sslEnabled", true).containsEntry("verifyHost", true).containsEntry("trustStorePath", store.toString())
                .containsEntry("trustStoreType", "JKS").containsEntry("host", "h").containsEntry("port", 1);
        assertThat(tc.toString()).doesNotContain("pw2");
    }

    @Test
    void artemisSendsAsynchronouslyOnlyWithAConfirmationWindow() {
        JmsSettings s = JmsSettings.from(MessagingConfig.of("artemis://h:1"), 61616, false);
        ArtemisDialect d = new ArtemisDialect();
        ActiveMQConnectionFactory f = (ActiveMQConnectionFactory) d.factory(s, Map.of());
        assertThat(f.getConfirmationWindowSize()).isEqualTo(ArtemisDialect.CONFIRMATION_WINDOW);
        assertThat(f.isBlockOnDurableSend()).isTrue();
        HornetQDialect hq = new HornetQDialect();
        ActiveMQConnectionFactory h = (ActiveMQConnectionFactory) hq.factory(JmsSettings.from(MessagingConfig.of("hornetq://h:1"), 5445, false), Map.of());
        assertThat(h.getConfirmationWindowSize()).as("HornetQ sends blocking").isEqualTo(-1);
    }
}
