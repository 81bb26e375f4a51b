package io.anymq.it.nats;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.LateAckDrill;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Late settlements on JetStream: what the server does with an ack of an older delivery (plain jnats),
 * and that the SDK never sends one ({@link LateAckDrill}, with the server's AckWait and no consumer ack timeout).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsLateAckIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.NATS);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    /**
     * Why the driver must refuse: the server takes an ack sent on the reply subject of delivery 1 (after
     * AckWait, once delivery 2 was made) as the ack of delivery 2. Recorded so that a server that starts
     * to check the delivery count in the ack subject is noticed.
     */
    @Test
    void theServerAppliesAnAckOfAnOlderDeliveryToTheNewerOne() throws Exception {
        String name = "lateack" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection nc = Nats.connect(broker.nativeProperties().get("server"))) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(name).build());
            nc.jetStreamManagement().addOrUpdateConsumer(name, ConsumerConfiguration.builder().durable("g")
                    .filterSubject(name).ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMillis(500)).build());
            nc.jetStream().publish(name, "m".getBytes(StandardCharsets.UTF_8));
            JetStreamSubscription sub = nc.jetStream().subscribe(name, PullSubscribeOptions.bind(name, "g"));
            io.nats.client.Message first = sub.fetch(1, Duration.ofSeconds(3)).get(0);
            List<io.nats.client.Message> again = sub.fetch(1, Duration.ofSeconds(3));
            assertThat(again).as("redelivered after AckWait").hasSize(1);
            assertThat(again.get(0).metaData().deliveredCount()).isEqualTo(2);
            first.ackSync(Duration.ofSeconds(2)); // the ack of delivery 1
            again.get(0).nak();                   // delivery 2 gives it back ...
            List<io.nats.client.Message> third = sub.fetch(1, Duration.ofSeconds(2));
            // ... but the server had settled delivery 2 with the ack of delivery 1: nothing comes back
            assertThat(third).as("the late ack of delivery 1 settled delivery 2 (nats-server %s)", nc.getServerInfo().getVersion()).isEmpty();
        }
    }

    @Test
    void aLateAckIsRefusedAndDoesNotSettleTheNewerDelivery() {
        LateAckDrill.Result r = LateAckDrill.run(broker.url() + "?jetstream=true&ack-wait=1s", Duration.ofSeconds(1));
        assertThat(r.secondCount()).isEqualTo(2);
        assertThat(r.thirdCount()).isEqualTo(3);
    }
}
