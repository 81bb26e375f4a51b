package io.anymq.it.redis;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.LateAckDrill;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A late ack that only Redis can tell is late (no consumer ack timeout: the mode's own {@code ack-wait}
 * gives the message to the next member): it fails with EXPIRED and leaves the newer delivery alone, in
 * every mode ({@link LateAckDrill}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisLateAckIT {
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.REDIS);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "list", "zset"})
    void aLateAckDoesNotSettleTheNewerDelivery(String mode) {
        LateAckDrill.Result r = LateAckDrill.run(broker.url() + "?mode=" + mode + "&ack-wait=1s", Duration.ofSeconds(1));
        assertThat(r.secondCount()).isEqualTo(2);
        assertThat(r.thirdCount()).isEqualTo(3);
    }
}
