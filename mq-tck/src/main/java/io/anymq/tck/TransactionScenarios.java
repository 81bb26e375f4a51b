package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Receipt;
import io.anymq.SettlementException;
import io.anymq.Transaction;
import io.anymq.TransactionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactions: a transaction's sends, to one or more topics, take effect at commit or not at all; its
 * acks (consume-process-produce) commit with them, and go back to their groups when it aborts.
 */
public interface TransactionScenarios extends TckContext {

    @Test
    @Requires(Capability.TRANSACTIONS)
    default void aCommittedTransactionsSendsAllArriveAndNoneBeforeTheCommit() {
        String first = name("tx-a");
        String second = name("tx-b");
        Consumer onFirst = consumer(first, name("g"));
        Consumer onSecond = consumer(second, name("g"));
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        try (Transaction tx = client().beginTransaction()) {
            receipts.add(tx.send(first, Message.builder().payload("a1").id(name("a1")).build()));
            receipts.add(tx.send(first, Message.builder().payload("a2").id(name("a2")).build()));
            receipts.add(tx.send(second, Message.builder().payload("b1").id(name("b1")).build()));
            assertThat(receipts).noneMatch(CompletableFuture::isDone);
            assertThat(receiveFor(onFirst, Duration.ofMillis(500))).as("nothing is visible before the commit").isEmpty();
            tx.commit();
            assertThat(tx.isOpen()).isFalse();
        }
        assertThat(receipts).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(receipts.get(2).join().topic()).isEqualTo(second);
        assertThat(receive(onFirst, 2, true)).extracting(TckContext::text).containsExactly("a1", "a2");
        assertThat(receive(onSecond, 1, true)).extracting(TckContext::text).containsExactly("b1");
        observe("aCommittedTransactionsSendsAllArriveAndNoneBeforeTheCommit", "3 sends to 2 topics, visible only after the commit");
    }

    @Test
    @Requires(Capability.TRANSACTIONS)
    default void anAbortedTransactionLeavesNothingAndItsSendsFail() {
        String topic = name("tx-abort");
        Consumer consumer = consumer(topic, name("g"));
        CompletableFuture<Receipt> dropped;
        try (Transaction tx = client().beginTransaction()) {
            dropped = tx.send(topic, "never");
            tx.abort();
            assertThatThrownBy(() -> tx.send(topic, "late")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        }
        assertThat(dropped).isCompletedExceptionally();
        assertThatThrownBy(dropped::join).hasCauseInstanceOf(TransactionException.class)
                .satisfies(e -> assertThat(((TransactionException) e.getCause()).outcome()).isEqualTo(TransactionException.Outcome.ABORTED));
        // an exception inside inTransaction aborts too
        assertThatThrownBy(() -> client().inTransaction(tx -> {
            tx.send(topic, "never either");
            throw new IllegalStateException("the handler failed");
        })).hasMessageContaining("the handler failed");
        String after = client().inTransaction(tx -> {
            tx.send(topic, "after");
            return "done";
        });
        assertThat(after).isEqualTo("done");
        assertThat(receive(consumer, 1, true)).extracting(TckContext::text).containsExactly("after");
        assertThat(receiveDuringAbsenceWait(consumer)).as("nothing of the aborted transactions").isEmpty();
    }

    @Test
    @Requires({Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK})
    default void consumeProcessProduceCommitsTheAckWithTheSend() {
        String in = name("tx-in");
        String out = name("tx-out");
        Consumer source = consumer(in, name("g"));
        Consumer sink = consumer(out, name("g"));
        producer(in).send("order-1").join();
        Delivery d = receiveOne(source);
        client().inTransaction(tx -> {
            tx.send(out, "processed " + TckContext.text(d));
            tx.ack(d);
            return null;
        });
        assertThat(d.isSettled()).isTrue();
        assertThatThrownBy(() -> d.ack()).isInstanceOf(SettlementException.class);
        assertThat(receive(sink, 1, true)).extracting(TckContext::text).containsExactly("processed order-1");
        assertThat(receiveDuringAbsenceWait(source)).as("the acked message does not come again").isEmpty();
    }

    @Test
    @Requires({Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK})
    default void anAbortedConsumeProcessProduceGivesTheMessageBackAndSendsNothing() {
        String in = name("tx-in");
        String out = name("tx-out");
        Consumer source = consumer(in, name("g"));
        Consumer sink = consumer(out, name("g"));
        Message sent = Message.builder().payload("order-2").id(name("order")).build();
        producer(in).send(sent).join();
        Delivery d = receiveOne(source);
        Transaction tx = client().beginTransaction();
        tx.send(out, "processed");
        tx.ack(d);
        assertThatThrownBy(() -> d.nack(Duration.ZERO)).as("a delivery in a transaction takes no other settlement")
                .isInstanceOf(SettlementException.class);
        tx.close(); // not committed: aborted
        Delivery again = receiveOne(source);
        assertThat(again.message().id()).isEqualTo(sent.id());
        if (declares(Capability.DELIVERY_COUNT)) {
            assertThat(again.deliveryCount()).isEqualTo(2);
        }
        again.ack().join();
        assertThat(receiveDuringAbsenceWait(sink)).as("the aborted send is never visible").isEmpty();
    }

    /**
     * The pattern a service runs: read, transform, write and ack in one transaction, with a share of
     * transactions aborted on purpose; every input is written exactly once.
     */
    @Test
    @Requires({Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK})
    default void consumeProcessProduceAtVolumeWritesEveryInputExactlyOnce() {
        consumeProcessProduce("consumeProcessProduceAtVolumeWritesEveryInputExactlyOnce", Math.max(50, settings().scaled(1000)));
    }

    /** The same over 10,000 inputs (issue #24's number): stress mode. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a thousand commits and more: more than the suite's 2 minutes
    @Requires(value = {Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK}, stress = true)
    default void stressConsumeProcessProduceOverTenThousandInputsWritesEachExactlyOnce() {
        consumeProcessProduce("stressConsumeProcessProduceOverTenThousandInputsWritesEachExactlyOnce", settings().scaled(10_000));
    }

    private void consumeProcessProduce(String scenario, int count) {
        String in = name("tx-vol-in");
        String out = name("tx-vol-out");
        Consumer source = consumer(in, name("g"));
        Consumer sink = consumer(out, name("g"));
        List<CompletableFuture<Receipt>> sent = new ArrayList<>();
        io.anymq.Producer producer = producer(in);
        String ids = name("in");
        for (int i = 0; i < count; i++) {
            sent.add(producer.send(Message.builder().payload("in-" + i).id(ids + "-" + i).build()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        Set<String> committed = new HashSet<>();
        int aborted = 0;
        int refused = 0;
        int attempts = 0;
        long quietSince = System.nanoTime();
        while (committed.size() < count && System.nanoTime() - quietSince < settings().receiveTimeout().toNanos() * 2) {
            List<Delivery> batch = source.receive(10, Duration.ofMillis(200));
            if (batch.isEmpty()) {
                continue;
            }
            quietSince = System.nanoTime();
            try (Transaction tx = client().beginTransaction()) {
                for (Delivery d : batch) {
                    tx.send(out, Message.builder().payload("out-" + TckContext.text(d)).id("out-" + d.message().id()).build());
                    tx.ack(d);
                }
                if (++attempts % 4 == 0) {
                    aborted += batch.size(); // every fourth batch fails: its messages must come again
                    continue;
                }
                try {
                    tx.commit();
                } catch (TransactionException e) {
                    // a broker may refuse a commit it cannot make whole (Kafka: a partition's earlier record not settled yet);
                    // nothing of it took effect and its messages come again, as after an abort
                    assertThat(e.outcome()).as("a refused commit says that nothing took effect: %s", e.getMessage())
                            .isEqualTo(TransactionException.Outcome.ABORTED);
                    refused += batch.size();
                    continue;
                }
                for (Delivery d : batch) {
                    assertThat(committed.add(d.message().id())).as("input %s committed twice", d.message().id()).isTrue();
                }
            }
        }
        assertThat(committed).hasSize(count);
        List<Delivery> written = receive(sink, count, true);
        written.addAll(receiveDuringAbsenceWait(sink));
        Set<String> outIds = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (Delivery d : written) {
            if (!outIds.add(d.message().id())) {
                twice.add(d.message().id());
            }
        }
        tally(new TckReport.Tally(scenario, count, committed.size(), outIds.size(), count - outIds.size(), twice.size()));
        assertThat(twice).as("outputs written twice").isEmpty();
        assertThat(outIds).as("every input written once, nothing from an aborted transaction").hasSize(count);
        observe(scenario, count + " inputs, " + aborted
                + " deliveries in aborted transactions, " + refused + " in commits the broker refused, every input written exactly once");
    }
}
