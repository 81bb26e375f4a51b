package io.anymq.it.redis;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer that receives at full speed and acks every delivery without waiting for the ack: the receive
 * loop must not outrun the settle scripts (acks piled up without bound in the core's batches and failed by
 * the tens of thousands when the client closed under them). After the close every ack completed, none
 * failed, and the group holds nothing in flight, in every mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSettlementBacklogIT {
    private static final int MESSAGES = 10_000;
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
    void everyAckMadeAtFullSpeedIsSettledWhenTheClientCloses(String mode) {
        String topic = "backlog-" + mode + "-" + UUID.randomUUID().toString().substring(0, 8);
        String url = broker.url() + "?mode=" + mode;
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        int received = 0;
        try (MessagingClient client = Messaging.connect(url)) {
            Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").build());
            try (Producer producer = client.producer(topic)) {
                List<CompletableFuture<Receipt>> sends = new ArrayList<>(MESSAGES);
                for (int i = 0; i < MESSAGES; i++) {
                    sends.add(producer.send(Message.builder().payload("m" + i).build()));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received < MESSAGES && System.nanoTime() < deadline) {
                for (Delivery d : consumer.receive(256, Duration.ofSeconds(1))) {
                    received++;
                    d.ack().whenComplete((v, e) -> {
                        if (e == null) {
                            acked.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    });
                }
            }
            consumer.close();
        }
        assertThat(received).isEqualTo(MESSAGES);
        assertThat(failed.get()).as("acks that failed, the first: %s", firstFailure.get()).isZero();
        assertThat(acked.get()).isEqualTo(MESSAGES);
        RedisClient nativeClient = RedisClient.create(broker.url());
        try (StatefulRedisConnection<String, String> nc = nativeClient.connect()) {
            RedisCommands<String, String> redis = nc.sync();
            if (mode.equals("stream")) {
                assertThat(redis.xpending("anymq:{" + topic + "}:stream", "g").getCount()).as("the group's pending list").isZero();
            } else {
                String prefix = "anymq:{" + topic + "}:" + mode + ":g:";
                assertThat(redis.zcard(prefix + "inflight")).as("the group's in-flight set").isZero();
                assertThat(redis.hlen(mode.equals("list") ? prefix + "pending" : prefix + "body")).as("bodies kept for redelivery").isZero();
            }
        } finally {
            NativeRedis.shutdown(nativeClient);
        }
    }
}
