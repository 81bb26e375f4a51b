package io.anymq.it.observability;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.micrometer.MicrometerInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code anymq.consumer.lag} gauge against the brokers whose drivers report lag (Redis Streams'
 * {@code XINFO GROUPS} lag, JetStream's {@code num_pending}): messages sent before the group's members
 * read anything are its lag, and it goes to zero once they were received and acked; with no open consumer
 * the gauge is NaN. One light broker at a time, a few seconds each.
 */
class ConsumerLagIT {
    private static final int MESSAGES = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private static Broker current;

    private static Broker broker(BrokerKind kind) {
        if (current != null && current.kind() == kind) {
            return current;
        }
        stopBroker();
        current = TestBrokers.provide(kind);
        return current;
    }

    @AfterAll
    static void stopBroker() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(BrokerKind.REDIS, (Function<Broker, String>) b -> b.url() + "?mode=stream", "redis", "redis stream"),
                Arguments.of(BrokerKind.NATS, (Function<Broker, String>) b -> b.url() + "?jetstream=true", "nats", "nats jetstream"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("cases")
    void theLagGaugeFollowsWhatTheGroupHasNotReceived(BrokerKind kind, Function<Broker, String> url, String backend, String name) {
        Broker broker = broker(kind);
        String topic = "lag-" + UUID.randomUUID().toString().substring(0, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerInterceptor metrics = MicrometerInterceptor.builder(registry).lagInterval(Duration.ZERO).build();
        try (MessagingClient client = Messaging.connect(MessagingConfig.builder().url(url.apply(broker)).interceptor(metrics).build())) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
            Gauge lag = registry.get("anymq.consumer.lag").tags("backend", backend, "topic", topic, "group", "g").gauge();
            try (Producer p = client.producer(topic)) {
                for (int i = 0; i < MESSAGES; i++) {
                    p.send(Message.of("m" + i)).join();
                }
            }
            await().atMost(PATIENCE).until(lag::value, v -> v == MESSAGES);
            List<String> got = new ArrayList<>();
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (got.size() < MESSAGES && System.nanoTime() < until) {
                for (Delivery d : consumer.receive(MESSAGES, Duration.ofMillis(500))) {
                    got.add(d.message().payloadAsString());
                    d.ack().join();
                }
            }
            assertThat(got).hasSize(MESSAGES);
            await().atMost(PATIENCE).until(lag::value, v -> v == 0);
            consumer.close();
            assertThat(lag.value()).as("no open consumer to ask").isNaN();
        }
    }
}
