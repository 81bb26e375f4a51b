package io.anymq.it.bridge;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link BridgeIT}'s check both ways between Kafka and RabbitMQ, on one Kafka and one RabbitMQ (their start is most of the time). */
@HeavyBrokers
class BridgeKafkaRabbitMqIT {
    private static Broker kafka;
    private static Broker rabbitmq;

    @BeforeAll
    static void brokers() {
        kafka = TestBrokers.provide(BrokerKind.KAFKA);
        rabbitmq = TestBrokers.provide(BrokerKind.RABBITMQ);
    }

    @AfterAll
    static void stop() {
        if (rabbitmq != null) {
            rabbitmq.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void kafkaToRabbitMq() throws Exception {
        BridgeIT.bridge(kafka.url(), rabbitmq.url());
    }

    @Test
    void rabbitMqToKafka() throws Exception {
        BridgeIT.bridge(rabbitmq.url(), kafka.url());
    }
}
