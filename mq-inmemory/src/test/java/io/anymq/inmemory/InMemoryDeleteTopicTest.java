package io.anymq.inmemory;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.InvalidNameException;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code MessagingClient.deleteTopic} on {@code mem:}: the topic, its messages and its groups are gone. */
class InMemoryDeleteTopicTest {

    @Test
    void aDeletedTopicIsGoneWithItsMessagesAndGroups() {
        try (MessagingClient client = Messaging.connect("mem:delete-" + UUID.randomUUID().toString().substring(0, 8))) {
            InMemoryBroker broker = client.unwrap(InMemoryBroker.class);
            ConsumerOptions options = ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build();
            try (Consumer consumer = client.consumer(options)) {
                client.producer("t").send(Message.of("old")).join();
                client.producer("other").send(Message.of("kept")).join();
                assertThat(broker.backlog("t", "g")).isEqualTo(1);
            }
            client.deleteTopic("t", List.of("g"));

            assertThat(broker.topicNames()).containsExactly("other");
            try (Consumer again = client.consumer(options)) {
                assertThat(again.receive(Duration.ofMillis(100))).as("a message of the deleted topic").isEmpty();
                client.producer("t").send(Message.of("new")).join();
                assertThat(again.receive(Duration.ofSeconds(5))).map(d -> new String(d.message().payload())).contains("new");
            }
            client.deleteTopic("never-made", List.of("nor-this"));
            assertThatThrownBy(() -> client.deleteTopic("bad name", List.of())).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> client.deleteTopic("t", List.of("bad:group"))).isInstanceOf(InvalidNameException.class);
        }
    }

    /** A producer made before the deletion and used after it starts the topic afresh (README): its sends are not lost. */
    @Test
    void aProducerUsedAfterTheDeletionSendsToTheNewTopic() {
        try (MessagingClient client = Messaging.connect("mem:delete-" + UUID.randomUUID().toString().substring(0, 8))) {
            ConsumerOptions options = ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build();
            Producer before = client.producer("t");
            before.send(Message.of("old")).join();
            client.deleteTopic("t", List.of("g"));

            assertThat(before.send(Message.of("after")).join().position()).as("the new topic's first position").isEqualTo("0");
            assertThat(before.sendBatch(List.of(Message.of("batch"))).join()).hasSize(1);
            try (Consumer consumer = client.consumer(options)) {
                assertThat(consumer.receive(10, Duration.ofSeconds(5))).map(d -> d.message().payloadAsString())
                        .containsExactly("after", "batch");
            }
        }
    }
}
