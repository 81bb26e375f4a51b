package io.anymq.it.redis;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Transaction;
import io.anymq.TransactionException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * A transaction that acks a delivery which moved on (held past the ack wait, taken by another member) is refused
     * whole by its commit script: ABORTED, its send never visible, the newer delivery left alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stream", "list", "zset"})
    void aTransactionAckingADeliveryThatMovedOnAbortsWhole(String mode) {
        String in = "tx-late-in-" + mode + "-" + System.nanoTime();
        String out = "tx-late-out-" + mode + "-" + System.nanoTime();
        try (MessagingClient client = Messaging.connect(broker.url() + "?mode=" + mode + "&ack-wait=1s");
             Producer producer = client.producer(in)) {
            Consumer first = client.consumer(ConsumerOptions.builder(in, "g").build());
            Consumer second = client.consumer(ConsumerOptions.builder(in, "g").build());
            Consumer sink = client.consumer(ConsumerOptions.builder(out, "g").build());
            producer.send("late").join();
            Delivery late = first.receive(Duration.ofSeconds(10)).orElseThrow();
            Delivery again = second.receive(Duration.ofSeconds(10)).orElseThrow(); // after the ack wait
            assertThat(again.deliveryCount()).isEqualTo(2);
            Transaction tx = client.beginTransaction();
            tx.send(out, "never");
            tx.ack(late);
            assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class)
                    .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.ABORTED))
                    .hasMessageContaining("no longer this client's");
            again.ack().join(); // the newer delivery was left alone
            assertThat(sink.receive(Duration.ofMillis(500))).as("nothing of the aborted transaction").isEmpty();
        }
    }
}
