package io.anymq.inmemory;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.Transaction;
import io.anymq.TransactionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What mem: adds to the suite's transaction scenarios: no room means nothing appended, and concurrent commits stay whole. */
class InMemoryTransactionTest {

    @Test
    void aTransactionThatFindsATopicFullAppendsNothingAnywhereAndGivesItsAcksBack() {
        String name = "tx-" + UUID.randomUUID();
        try (MessagingClient client = Messaging.connect("mem:" + name + "?capacity=4&when-full=fail")) {
            Consumer holder = client.consumer(ConsumerOptions.builder("full", "g").startPosition(StartPosition.EARLIEST).build());
            Consumer source = client.consumer(ConsumerOptions.builder("in", "g").startPosition(StartPosition.EARLIEST).build());
            for (int i = 0; i < 4; i++) {
                client.producer("full").send("kept " + i).join(); // not acked by group g: the topic is full
            }
            client.producer("in").send("input").join();
            Delivery in = source.receive(Duration.ofSeconds(1)).orElseThrow();
            Transaction tx = client.beginTransaction();
            tx.send("other", "first, to a topic with room");
            tx.send("full", "no room for this one");
            tx.ack(in);
            assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class).hasMessageContaining("no room")
                    .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.ABORTED));
            InMemoryBroker broker = client.unwrap(InMemoryBroker.class);
            assertThat(broker.retained("other")).as("the send to the topic with room was not appended either").isZero();
            assertThat(broker.retained("full")).isEqualTo(4);
            Delivery again = source.receive(Duration.ofSeconds(1)).orElseThrow();
            assertThat(again.message().payloadAsString()).isEqualTo("input");
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(holder).isNotNull();
        }
    }

    @Test
    void aTransactionOfMorePayloadThanATopicHoldsNeverCommitsAndOneThatFitsMakesRoom() {
        String name = "tx-" + UUID.randomUUID();
        try (MessagingClient client = Messaging.connect("mem:" + name + "?max-bytes=4096&when-full=fail")) {
            Transaction tooBig = client.beginTransaction();
            tooBig.send("t", io.anymq.Message.builder().payload(new byte[3000]).build());
            tooBig.send("t", io.anymq.Message.builder().payload(new byte[3000]).build());
            assertThatThrownBy(tooBig::commit).isInstanceOf(TransactionException.class).hasMessageContaining("more than it can hold");
            InMemoryBroker broker = client.unwrap(InMemoryBroker.class);
            assertThat(broker.retained("t")).isZero();
            client.producer("t").send(io.anymq.Message.builder().payload(new byte[3000]).build()).join(); // no group: may make room
            Transaction fits = client.beginTransaction();
            fits.send("t", io.anymq.Message.builder().payload(new byte[2000]).build());
            fits.send("t", io.anymq.Message.builder().payload(new byte[2000]).build());
            fits.commit();
            assertThat(broker.retained("t")).isEqualTo(2);
            assertThat(broker.retainedBytes("t")).isEqualTo(4000);
        }
    }

    @Test
    void concurrentCommitsOverTheSameTopicsNeitherDeadlockNorInterleaveAReadersView() throws Exception {
        String name = "tx-" + UUID.randomUUID();
        int threads = 4;
        int perThread = 250;
        try (MessagingClient client = Messaging.connect("mem:" + name)) {
            Consumer a = client.consumer(ConsumerOptions.builder("a", "g").startPosition(StartPosition.EARLIEST).build());
            Consumer b = client.consumer(ConsumerOptions.builder("b", "g").startPosition(StartPosition.EARLIEST).build());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + "-" + i;
                        // opposite orders of topics in alternate threads: the name-ordered locks keep them from deadlocking
                        client.inTransaction(tx -> {
                            if (thread % 2 == 0) {
                                tx.send("a", Message.builder().payload(id).id("a-" + id).build());
                                tx.send("b", Message.builder().payload(id).id("b-" + id).build());
                            } else {
                                tx.send("b", Message.builder().payload(id).id("b-" + id).build());
                                tx.send("a", Message.builder().payload(id).id("a-" + id).build());
                            }
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            List<String> onA = new ArrayList<>();
            List<String> onB = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                Delivery d = a.receive(Duration.ofSeconds(1)).orElseThrow();
                onA.add(d.message().payloadAsString());
                d.ack();
                Delivery e = b.receive(Duration.ofSeconds(1)).orElseThrow();
                onB.add(e.message().payloadAsString());
                e.ack();
            }
            // appended under both topics' locks at once: both topics hold the transactions in the same order
            assertThat(onA).hasSize(threads * perThread).isEqualTo(onB);
        }
    }
}
