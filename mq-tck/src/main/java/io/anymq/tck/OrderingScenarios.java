package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-key order within a group. */
public interface OrderingScenarios extends TckContext {

    @Test
    @Requires(Capability.KEY_ORDERING)
    default void perKeyOrderHolds() {
        String topic = name("order");
        int keys = 16;
        int n = 1000;
        Consumer consumer = consumer(options(topic, name("g")).keyOrdered(true).build());
        Producer producer = producer(topic);
        for (int i = 0; i < n; i++) {
            int key = i % keys;
            producer.send(Message.builder().payload(Integer.toString(i / keys)).key("k" + key).build());
        }
        producer.flush();
        Map<String, List<Integer>> seen = new HashMap<>();
        for (Delivery d : receive(consumer, n, true)) {
            seen.computeIfAbsent(d.message().key(), k -> new ArrayList<>()).add(Integer.parseInt(TckContext.text(d)));
        }
        assertThat(seen).hasSize(keys);
        int perKey = n / keys;
        for (Map.Entry<String, List<Integer>> e : seen.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                expected.add(i);
            }
            assertThat(e.getValue()).as("order of key %s", e.getKey()).isEqualTo(expected);
            assertThat(e.getValue().size()).isBetween(perKey, perKey + 1);
        }
    }
}
