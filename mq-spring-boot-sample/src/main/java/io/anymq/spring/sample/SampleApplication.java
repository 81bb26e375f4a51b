package io.anymq.spring.sample;

import io.anymq.ConsumerOptions;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.SubscribeOptions;
import io.anymq.spring.ManagedSubscription;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A sample order pipeline: {@link OrderService} sends orders through a {@link Producer} bean, and a
 * {@link ManagedSubscription} bean hands each one to {@link Shipping}. The client comes from the
 * starter ({@code anymq.url} in {@code application.properties}, {@code mem:} by default).
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Runs the application.
     *
     * @param args Spring Boot's arguments ({@code --anymq.url=redis://127.0.0.1:6379})
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The orders producer; the context closes it (Spring calls {@code close()}) before the client. */
    @Bean
    Producer ordersProducer(MessagingClient client, @Value("${sample.topic}") String topic) {
        return client.producer(topic);
    }

    /** Shipping's subscription to the orders: started with the context, stopped before the client closes. */
    @Bean
    ManagedSubscription shippingSubscription(MessagingClient client, Shipping shipping, @Value("${sample.topic}") String topic) {
        return ManagedSubscription.of(client, ConsumerOptions.of(topic, "shipping"), shipping::handle)
                .withSubscribeOptions(SubscribeOptions.concurrency(2));
    }
}
