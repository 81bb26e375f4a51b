package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** JetStream file storage: a message published to a stream survives kill -9. */
class NatsSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.NATS;
    }

    private static Connection connect(Broker broker) throws Exception {
        return Nats.connect(Options.builder().server(broker.nativeProperties().get("server")).build());
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        try (Connection nc = connect(broker)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(key).subjects(key).storageType(StorageType.File).build());
            nc.jetStream().publish(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        try (Connection nc = connect(broker)) {
            return Optional.of(new String(nc.jetStreamManagement().getLastMessage(key, key).getData(), StandardCharsets.UTF_8));
        } catch (JetStreamApiException e) {
            return Optional.empty();
        }
    }
}
