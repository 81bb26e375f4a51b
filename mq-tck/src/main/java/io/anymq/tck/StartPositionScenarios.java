package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a new group starts. */
public interface StartPositionScenarios extends TckContext {

    @Test
    @Requires(Capability.REPLAY_FROM_EARLIEST)
    default void aNewGroupAtTheEarliestReadsWhatCameBefore() {
        String topic = name("earliest");
        // the topic must exist with messages before the group does; a first group makes it where that is needed
        Consumer first = consumer(topic, name("first"));
        Producer producer = producer(topic);
        for (int i = 0; i < 5; i++) {
            producer.send("old" + i);
        }
        producer.flush();
        assertThat(receive(first, 5, true)).hasSize(5);
        Consumer late = consumer(ConsumerOptions.builder(topic, name("late")).startPosition(StartPosition.EARLIEST).build());
        List<Delivery> got = receive(late, 5, true);
        assertThat(got).extracting(TckContext::text).containsExactlyInAnyOrder("old0", "old1", "old2", "old3", "old4");
    }

    @Test
    default void aNewGroupAtTheLatestSkipsWhatCameBefore() {
        String topic = name("latest");
        Consumer first = consumer(topic, name("first"));
        Producer producer = producer(topic);
        for (int i = 0; i < 5; i++) {
            producer.send("old" + i);
        }
        producer.flush();
        assertThat(receive(first, 5, true)).hasSize(5);
        Consumer late = consumer(ConsumerOptions.builder(topic, name("late")).startPosition(StartPosition.LATEST).build());
        producer.send("new").join();
        assertThat(receive(late, 1, true)).extracting(TckContext::text).containsExactly("new");
        assertThat(receiveDuringAbsenceWait(late)).isEmpty();
    }
}
