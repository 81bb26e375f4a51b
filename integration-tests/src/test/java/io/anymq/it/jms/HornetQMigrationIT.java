package io.anymq.it.jms;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration path from HornetQ to Artemis: a legacy HornetQ 2.4.7 JMS client (javax.jms, its own
 * Netty 4.0; run in a JVM of its own so that neither reaches this class path) talks to the harness's
 * Artemis through its HornetQ acceptor (JMS 1.x prefixes: the legacy topic {@code jms.topic.T} is the
 * address {@code T}), and anymq's {@code artemis://} client talks to the same topic. Both ways, with
 * payload (non-UTF-8), key and headers.
 */
class HornetQMigrationIT {

    @Test
    void aLegacyHornetQClientAndArtemisUrlInteroperateThroughTheHornetQAcceptor() throws Exception {
        LegacyHornetQClient legacy = new LegacyHornetQClient();
        try (Broker artemis = TestBrokers.provide(BrokerKind.ARTEMIS);
             MessagingClient client = Messaging.connect(artemis.url())) {
            String host = artemis.host();
            String hqPort = artemis.nativeProperties().get("hornetqPort");
            String topic = JmsBackendTests.fresh("migrate");
            Consumer billing = client.consumer(topic, "billing"); // the group, and so the address, exist before the legacy send
            String hex = HexFormat.of().formatHex(JmsBackendTests.NOT_UTF8);

            // legacy HornetQ client -> anymq
            assertThat(legacy.run("send", host, hqPort, topic, hex, "k-legacy")).contains("SENT");
            Delivery d = billing.receive(Duration.ofSeconds(15)).orElseThrow();
            assertThat(d.message().payload()).isEqualTo(JmsBackendTests.NOT_UTF8);
            assertThat(d.message().key()).isEqualTo("k-legacy");
            assertThat(d.message().headers()).containsEntry("trace", "legacy").containsEntry("content-type", "application/x-legacy");
            d.ack().join();

            // anymq -> legacy HornetQ client (its own shared durable subscription)
            Process receiver = legacy.start("receive", host, hqPort, topic, "legacy-sub");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                LegacyHornetQClient.readUntil(out, "SUBSCRIBED");
                client.producer(topic).send(Message.builder().payload(JmsBackendTests.NOT_UTF8).key("k-new").id("id-new")
                        .header("trace", "new").header("content-type", "x/y").build()).join();
                assertThat(LegacyHornetQClient.readUntil(out, "GOT", "NOTHING"))
                        .isEqualTo("GOT payload=" + hex + " key=k-new trace=new contentType=x/y id=id-new");
            } finally {
                if (!receiver.waitFor(30, TimeUnit.SECONDS)) {
                    receiver.destroyForcibly();
                }
            }
        }
    }
}
