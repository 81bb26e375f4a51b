package io.anymq.it.observability;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

/**
 * The consumer lag gauge of a Kafka share group (the broker's share-partition lag, KIP-1226): 5 sent → 5, received and
 * acked → 0, closed → NaN, as {@link ObservabilityIT}'s lag cases. In the drills, not the default run: a share group's
 * setup and first fetches take ~6 s, over what the default run may grow by.
 */
class KafkaShareLagDrill {
    @AfterAll
    static void stopBroker() {
        ObservabilityIT.stopBroker();
    }

    @Test
    void theLagGaugeOfAShareGroupFollowsWhatItHasNotAcknowledged() {
        ObservabilityIT.lagGaugeCase(BrokerKind.KAFKA, (Function<Broker, String>) b -> b.url() + "?mode=shared", "kafka");
    }
}
