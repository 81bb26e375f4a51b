package io.anymq.inmemory;

import io.anymq.BackpressureException;
import io.anymq.ConfigurationException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A named broker's settings are fixed by its first client (README, "URL and options"): a later client of the name that
 * leaves them out gets the broker's, and declares them; one that asks for other values is refused, not silently given
 * the broker's (a client that asked for {@code when-full=fail} on a broker that blocks would block for 30 s).
 */
class InMemorySharedSettingsTest {

    private static String fresh() {
        return "shared-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aLaterClientThatAsksForOtherSettingsIsRefusedNamingEachDifferenceAndTheWaysOut() {
        String name = fresh();
        try (MessagingClient first = Messaging.connect("mem:" + name + "?capacity=4&when-full=fail")) {
            assertThatThrownBy(() -> Messaging.connect("mem:" + name + "?capacity=8&when-full=block&block-timeout=30s"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("the in-memory broker '" + name + "' exists already")
                    .hasMessageContaining("capacity is 4 there, and the URL asks 8")
                    .hasMessageContaining("when-full is fail there, and the URL asks block")
                    .hasMessageNotContaining("block-timeout") // asked as the broker has it
                    .hasMessageContaining("mem:NAME")
                    .hasMessageContaining("InMemoryBroker.drop(\"" + name + "\")");
            assertThat(first.unwrap(InMemoryBroker.class).capacity()).isEqualTo(4);
        } finally {
            InMemoryBroker.drop(name);
        }
    }

    @Test
    void theErrorSaysWhereTheOtherValueCameFrom() {
        String name = fresh();
        try (MessagingClient first = Messaging.connect("mem:" + name)) {
            MessagingConfig fromEnvironment = MessagingConfig.builder().url("mem:" + name).environment(Map.of("MQ_CAPACITY", "8")).build();
            assertThatThrownBy(() -> Messaging.connect(fromEnvironment))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("capacity is 100000 there, and environment variable MQ_CAPACITY asks 8");
        } finally {
            InMemoryBroker.drop(name);
        }
    }

    @Test
    void aLaterClientWithoutOptionsWorksWithTheBrokersSettingsAndDeclaresThem() {
        String name = fresh();
        try (MessagingClient first = Messaging.connect("mem:" + name + "?capacity=4&when-full=fail&max-payload=100");
             MessagingClient later = Messaging.connect("mem:" + name)) {
            assertThat(later.capabilities().maxPayloadBytes()).isEqualTo(100);
            Producer p = later.producer("t");
            try (Consumer holding = later.consumer(ConsumerOptions.builder("t", "g").build())) {
                for (int i = 0; i < 4; i++) {
                    p.send(Message.of("m" + i)).join();
                }
                long start = System.nanoTime();
                assertThatThrownBy(() -> p.send(Message.of("fifth")).join())
                        .isInstanceOf(BackpressureException.class)
                        .hasMessageContaining("when-full=fail");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // failed, did not block
                assertThatThrownBy(() -> p.send(Message.of(new byte[101])))
                        .isInstanceOf(MessageTooLargeException.class);
                assertThat(holding.receive(10, Duration.ofSeconds(1))).hasSize(4);
            }
        } finally {
            InMemoryBroker.drop(name);
        }
    }

    @Test
    void aLaterClientThatRepeatsTheSettingsSharesTheBroker() {
        String name = fresh();
        try (MessagingClient first = Messaging.connect("mem:" + name + "?capacity=4&when-full=fail");
             MessagingClient same = Messaging.connect("mem:" + name + "?capacity=4&when-full=fail")) {
            assertThat(same.unwrap(InMemoryBroker.class)).isSameAs(first.unwrap(InMemoryBroker.class));
        } finally {
            InMemoryBroker.drop(name);
        }
    }

    @Test
    void afterADropTheNameTakesTheNextClientsSettings() {
        String name = fresh();
        try (MessagingClient first = Messaging.connect("mem:" + name + "?capacity=4")) {
            first.unwrap(InMemoryBroker.class).drop();
            try (MessagingClient next = Messaging.connect("mem:" + name + "?capacity=8")) {
                assertThat(next.unwrap(InMemoryBroker.class).capacity()).isEqualTo(8);
            }
        } finally {
            InMemoryBroker.drop(name);
        }
    }
}
