package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The harness's contract for one broker: it starts for real (a native client round trip works),
 * survives {@code kill -9} with its data (persistent brokers) and comes back on the same port, and
 * leaves no process behind. On failure the broker's log tail is printed.
 */
abstract class BrokerSmokeTest {

    abstract BrokerKind kind();

    BrokerOptions options() {
        return BrokerOptions.defaults();
    }

    /** Stores the value under the key with the broker's native protocol, durably where it can. */
    abstract void write(Broker broker, String key, String value) throws Exception;

    /** Reads what was stored under the key, or empty. */
    abstract Optional<String> read(Broker broker, String key) throws Exception;

    @Test
    void startsRoundTripsSurvivesKillAndLeavesNothingBehind() throws Exception {
        Broker broker = TestBrokers.provide(kind(), options());
        long pid = broker.pid();
        try {
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.url()).contains("127.0.0.1:" + broker.port());
            String key = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
            write(broker, key, "value-1");
            assertThat(read(broker, key)).contains("value-1");

            if (broker.source().equals("local-process")) {
                int port = broker.port();
                broker.kill();
                assertThat(broker.isRunning()).isFalse();
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("stopped").isFalse();
                long t0 = System.nanoTime();
                broker.restart();
                System.out.printf("%s restarted after kill -9 in %d ms on port %d%n", kind().id(),
                        (System.nanoTime() - t0) / 1_000_000, port);
                assertThat(broker.port()).isEqualTo(port);
                if (kind().persistent()) {
                    // some brokers answer before every queue has recovered (RabbitMQ's quorum queues elect a leader first)
                    Broker b = broker;
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                            .untilAsserted(() -> assertThat(read(b, key)).as("data kept across kill -9 and restart").contains("value-1"));
                } else {
                    assertThat(read(broker, key)).as("memcached keeps nothing").isEmpty();
                }
                pid = broker.pid();
            }
        } catch (Throwable e) {
            System.err.println("--- " + kind().id() + " log tail ---\n" + broker.logTail(60));
            throw e;
        } finally {
            broker.close();
        }
        if (pid > 0) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("no process left").isFalse();
        }
    }
}
