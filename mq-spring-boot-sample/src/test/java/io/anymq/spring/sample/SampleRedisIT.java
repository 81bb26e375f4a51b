package io.anymq.spring.sample;

import io.anymq.Capability;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same sample against a real Redis (Streams) started by mq-harness: only {@code anymq.url}
 * changes. The broker starts before the context and stops after Spring closed it.
 */
@ExtendWith(SampleRedisIT.RedisBroker.class) // before @SpringBootTest's SpringExtension: its afterAll runs after Spring's
@SpringBootTest
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleRedisIT {
    private static Broker broker;

    /** Starts Redis before Spring makes the context, and stops it after Spring closed the context (@DirtiesContext). */
    static final class RedisBroker implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            broker = TestBrokers.provide(BrokerKind.REDIS);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        String url = broker.url();
        registry.add("anymq.url", () -> url);
        // a fresh topic per run: the harness may hand out a Redis that earlier runs used
        String topic = "orders-it-" + System.nanoTime();
        registry.add("sample.topic", () -> topic);
    }

    @Autowired
    MessagingClient client;
    @Autowired
    OrderService orders;
    @Autowired
    Shipping shipping;
    @Autowired
    HealthEndpoint health;

    @Test
    @Order(1)
    void ordersTravelThroughRedis() {
        assertThat(client.provider()).isEqualTo("redis");
        assertThat(client.capabilities().has(Capability.PERSISTENCE)).isTrue();
        // shipping's group was made when the context started (a new group starts at the latest message)
        orders.place("alice", "book").join();
        orders.place("bob", "broken").join();
        orders.place("carol", "lamp").join();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(shipping.shipped()).containsExactlyInAnyOrder("alice:book", "bob:broken", "carol:lamp"));
    }

    @Test
    @Order(2)
    void healthIsDownWhileRedisIsAwayAndUpAgainAfter() {
        TestBrokers.requireKillable(broker);
        assertThat(health.healthForPath("anymq").getStatus()).isEqualTo(Status.UP);
        broker.stop();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Health h = (Health) health.healthForPath("anymq");
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
            assertThat(h.getDetails().get("state")).isIn("RECONNECTING", "DISCONNECTED");
        });
        assertThat(health.health().getStatus()).as("the application's aggregate").isEqualTo(Status.DOWN);
        broker.restart();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(health.healthForPath("anymq").getStatus()).isEqualTo(Status.UP));
        orders.place("dave", "pen").join();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shipping.shipped()).contains("dave:pen"));
    }
}
