package io.anymq.spring.sample;

import io.anymq.ClosedException;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.spring.ManagedSubscription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The sample on mem: (application.properties names it): orders go from the service through the broker to shipping. */
@SpringBootTest(properties = "anymq.url=mem:sample-test")
class SampleApplicationTest {
    @Autowired
    OrderService orders;
    @Autowired
    Shipping shipping;
    @Autowired
    MessagingClient client;
    @Autowired
    ManagedSubscription shippingSubscription;
    @Autowired
    HealthEndpoint health;

    @Test
    void ordersAreShippedAndAFailedOneComesAgain() {
        assertThat(client.provider()).isEqualTo("mem");
        assertThat(shippingSubscription.isRunning()).isTrue();
        orders.place("alice", "book").join();
        orders.place("bob", "broken").join();
        orders.place("carol", "lamp").join();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(shipping.shipped()).containsExactlyInAnyOrder("alice:book", "bob:broken", "carol:lamp"));
    }

    @Test
    void actuatorShowsTheClientsHealth() {
        Health anymq = (Health) health.healthForPath("anymq");
        assertThat(anymq.getStatus()).isEqualTo(Status.UP);
        assertThat(anymq.getDetails()).containsEntry("provider", "mem").containsEntry("state", "CONNECTED");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void closingTheApplicationStopsTheSubscriptionAndClosesProducerAndClient() {
        ConfigurableApplicationContext app = SpringApplication.run(SampleApplication.class,
                "--anymq.url=mem:sample-close", "--spring.main.web-application-type=none");
        MessagingClient own = app.getBean(MessagingClient.class);
        Producer producer = app.getBean(Producer.class);
        ManagedSubscription subscription = app.getBean(ManagedSubscription.class);
        app.getBean(OrderService.class).place("dave", "pen").join();
        await().atMost(Duration.ofSeconds(15)).until(() -> app.getBean(Shipping.class).shipped().equals(List.of("dave:pen")));
        app.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThatThrownBy(() -> producer.send("after close")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> own.producer("orders")).isInstanceOf(ClosedException.class);
    }
}
