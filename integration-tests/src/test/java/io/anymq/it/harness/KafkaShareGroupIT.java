package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness's Kafka serves share groups (KIP-932), which the Kafka backend's shared mode needs:
 * a record released by one delivery comes again with its delivery count raised.
 */
@HeavyBrokers
class KafkaShareGroupIT {

    @Test
    void aShareGroupDeliversReleasesAndRedelivers() throws Exception {
        try (Broker kafka = TestBrokers.provide(BrokerKind.KAFKA)) {
            String servers = kafka.nativeProperties().get("bootstrap.servers");
            String topic = "share-smoke";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
                admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(), new StringSerializer());
                 KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of("bootstrap.servers", servers,
                         "group.id", "share-smoke-group", "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                ConsumerRecord<String, String> first = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (first == null && System.nanoTime() < deadline) {
                    producer.send(new ProducerRecord<>(topic, "k", "v")).get(); // a new share group starts at the latest offset
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                    for (ConsumerRecord<String, String> r : records) {
                        if (first == null) {
                            first = r;
                            consumer.acknowledge(r, AcknowledgeType.RELEASE);
                        } else {
                            consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                        }
                    }
                    consumer.commitSync();
                }
                assertThat(first).as("a record through the share group").isNotNull();
                assertThat(first.deliveryCount()).contains((short) 1);
                ConsumerRecord<String, String> again = null;
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (again == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                        if (r.offset() == first.offset()) {
                            again = r;
                        }
                        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                    }
                    consumer.commitSync();
                }
                assertThat(again).as("the released record comes again").isNotNull();
                assertThat(again.deliveryCount()).contains((short) 2);
            }
        }
    }
}
