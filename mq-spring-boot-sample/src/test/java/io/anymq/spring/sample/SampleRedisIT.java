package io.anymq.spring.sample;

import io.anymq.Capability;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same sample against a real Redis (Streams) started by mq-harness: only {@code anymq.url}
 * changes. The test closes the context itself, before the broker stops (the context is not used
 * again: this is the module's only test class with this configuration).
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleRedisIT {
    private static Broker broker;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        broker = TestBrokers.provide(BrokerKind.REDIS);
        registry.add("anymq.url", broker::url);
        // a fresh topic per run: the harness may hand out a Redis that earlier runs used
        String topic = "orders-it-" + System.nanoTime();
        registry.add("sample.topic", () -> topic);
    }

    @Autowired
    ConfigurableApplicationContext context;
    @Autowired
    MessagingClient client;
    @Autowired
    OrderService orders;
    @Autowired
    Shipping shipping;

    @AfterAll
    void stop() {
        try {
            context.close();
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
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
}
