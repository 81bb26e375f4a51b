package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.it.HeavyBrokers;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A persistent-topic message survives kill -9 and restart (see also PulsarKillRestartDrill). */
@HeavyBrokers
class PulsarSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.PULSAR;
    }

    private static PulsarClient client(Broker broker) throws Exception {
        return PulsarClient.builder().serviceUrl(broker.nativeProperties().get("serviceUrl")).build();
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        try (PulsarClient c = client(broker); Producer<String> p = c.newProducer(Schema.STRING).topic("persistent://public/default/" + key).create()) {
            p.send(value);
        }
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        try (PulsarClient c = client(broker);
             Reader<String> r = c.newReader(Schema.STRING).topic("persistent://public/default/" + key).startMessageId(MessageId.earliest).create()) {
            Message<String> m = r.readNext(20, TimeUnit.SECONDS);
            return m == null ? Optional.empty() : Optional.of(m.getValue());
        }
    }
}
