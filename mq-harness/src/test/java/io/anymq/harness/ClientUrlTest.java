package io.anymq.harness;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientUrlTest {
    @Test
    void pulsarGetsItsAdminUrlBecauseTheHarnessWebPortIsNotTheClientsDefault() {
        Map<String, String> props = Map.of("serviceUrl", "pulsar://127.0.0.1:41000", "adminUrl", "http://127.0.0.1:41001");
        assertThat(Broker.clientUrl(BrokerKind.PULSAR, "pulsar://127.0.0.1:41000", props))
                .isEqualTo("pulsar://127.0.0.1:41000?admin-url=http://127.0.0.1:41001");
        assertThat(Broker.clientUrl(BrokerKind.PULSAR, "pulsar://127.0.0.1:41000?mode=shared", props))
                .isEqualTo("pulsar://127.0.0.1:41000?mode=shared&admin-url=http://127.0.0.1:41001");
        assertThat(Broker.clientUrl(BrokerKind.PULSAR, "pulsar://h:1?admin-url=http://x:2", props))
                .as("an admin-url already given is kept").isEqualTo("pulsar://h:1?admin-url=http://x:2");
    }

    @Test
    void otherBrokersKeepTheirUrl() {
        assertThat(Broker.clientUrl(BrokerKind.KAFKA, "kafka://127.0.0.1:9092", Map.of("adminUrl", "http://x")))
                .isEqualTo("kafka://127.0.0.1:9092");
    }
}
