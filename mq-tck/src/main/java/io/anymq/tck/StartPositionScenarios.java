package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Producer;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
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
        sendAndTake(producer, first, "old", 5);
        Consumer late = consumer(ConsumerOptions.builder(topic, name("late")).startPosition(StartPosition.EARLIEST).build());
        List<Delivery> got = receive(late, 5, true);
        assertThat(got).extracting(TckContext::text).containsExactlyInAnyOrder("old0", "old1", "old2", "old3", "old4");
    }

    @Test
    default void aNewGroupAtTheLatestSkipsWhatCameBefore() {
        String topic = name("latest");
        Consumer first = consumer(topic, name("first"));
        Producer producer = producer(topic);
        sendAndTake(producer, first, "old", 5);
        Consumer late = consumer(ConsumerOptions.builder(topic, name("late")).startPosition(StartPosition.LATEST).build());
        producer.send("new").join();
        assertThat(receive(late, 1, true)).extracting(TckContext::text).containsExactly("new");
        assertThat(receiveDuringAbsenceWait(late)).isEmpty();
    }

    /**
     * A new group started at a recorded instant gets exactly what was sent after it. Brokers stamp in
     * milliseconds (or their clock differs a little from the client's), so the instant is recorded with
     * {@code timingTolerance} of quiet on either side.
     */
    @Test
    @Requires(Capability.START_AT_TIME)
    default void aNewGroupAtATimeReadsWhatCameAfterIt() throws InterruptedException {
        String topic = name("at-time");
        Consumer first = consumer(topic, name("first"));
        Producer producer = producer(topic);
        sendAndTake(producer, first, "before", 3);
        long quiet = Math.max(settings().timingTolerance().toMillis(), 20);
        Thread.sleep(quiet);
        Instant at = Instant.now();
        Thread.sleep(quiet);
        sendAndTake(producer, first, "after", 3);
        Consumer late = consumer(ConsumerOptions.builder(topic, name("late")).startPosition(StartPosition.at(at)).build());
        assertThat(receive(late, 3, true)).extracting(TckContext::text).containsExactlyInAnyOrder("after0", "after1", "after2");
        producer.send("next").join();
        assertThat(receive(late, 1, true)).extracting(TckContext::text).containsExactly("next");
        assertThat(receiveDuringAbsenceWait(late)).isEmpty();
    }

    /** Sends {@code prefix0} ... and has the first group take and ack them all (so they are stored). */
    private void sendAndTake(Producer producer, Consumer first, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            producer.send(prefix + i);
        }
        producer.flush();
        assertThat(receive(first, count, true)).hasSize(count);
    }
}
