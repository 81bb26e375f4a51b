package io.anymq.tck;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Topics are isolated, and many work at once. */
public interface TopicScenarios extends TckContext {

    @Test
    default void topicsAreIsolated() {
        String a = name("iso-a");
        String b = name("iso-b");
        String group = name("g");
        Consumer ca = consumer(a, group);
        Consumer cb = consumer(b, group);
        Producer pa = producer(a);
        Producer pb = producer(b);
        for (int i = 0; i < 10; i++) {
            pa.send("a" + i);
            pb.send("b" + i);
        }
        pa.flush();
        pb.flush();
        assertThat(receive(ca, 10, true)).extracting(TckContext::text).allMatch(t -> t.startsWith("a")).hasSize(10);
        assertThat(receive(cb, 10, true)).extracting(TckContext::text).allMatch(t -> t.startsWith("b")).hasSize(10);
        assertThat(receiveDuringAbsenceWait(ca)).isEmpty();
    }

    @Test
    default void twentyTopicsWorkConcurrently() throws Exception {
        int topics = 20;
        int perTopic = settings().scaled(50);
        ExecutorService pool = Executors.newFixedThreadPool(topics);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < topics; t++) {
                String topic = name("many" + t);
                Consumer consumer = consumer(topic, name("g"));
                Producer producer = producer(topic);
                results.add(pool.submit(() -> {
                    List<CompletableFuture<?>> sends = new ArrayList<>();
                    for (int i = 0; i < perTopic; i++) {
                        sends.add(producer.send(topic + "/" + i));
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                    return receive(consumer, perTopic, true).stream().map(TckContext::text).toList();
                }));
            }
            for (Future<List<String>> f : results) {
                List<String> got = f.get();
                assertThat(got).hasSize(perTopic);
                String prefix = got.get(0).substring(0, got.get(0).indexOf('/'));
                assertThat(got).allMatch(s -> s.startsWith(prefix + "/"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Deletion is idempotent: a deleted topic deleted again, and a topic or group that never existed, are no error. */
    @Test
    @Requires(io.anymq.Capability.TOPIC_DELETION)
    default void deletingATopicTwiceOrOneThatNeverExistedIsNoError() {
        String topic = name("delete");
        Producer producer = producer(topic);
        producer.send("x").join();
        producer.close();
        String group = name("g");
        client().deleteTopic(topic, List.of(group));
        client().deleteTopic(topic, List.of(group));
        client().deleteTopic(name("never"), List.of(name("never-g")));
    }
}
