package io.anymq;

import io.anymq.fake.FakeBroker;
import io.anymq.fake.OnAFakeBroker;
import io.anymq.fake.FakeDelivery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core's transaction bookkeeping against a scripted driver: what a failed commit does to sends and deliveries. */
class CoreTransactionTest extends OnAFakeBroker {
    private FakeDelivery scripted;

    private Delivery deliver(Consumer consumer) {
        scripted = broker.deliver(consumer.topic(), Message.builder().payload("m").id("in-1").build(), 1);
        return consumer.receive(Duration.ofSeconds(5)).orElseThrow();
    }

    /** The transaction the first cases commit: a send to "out" and the ack of d. */
    private static CompletableFuture<Receipt> sendAndAck(Transaction tx, Delivery d) {
        CompletableFuture<Receipt> r = tx.send("out", "x");
        tx.ack(d);
        return r;
    }

    @Test
    void aCommitHandsTheWholeTransactionToTheDriverOnceAndSettlesAfterIt() {
        Delivery d = deliver(client.consumer("in", "g"));
        Transaction tx = client.beginTransaction();
        CompletableFuture<Receipt> r = sendAndAck(tx, d);
        assertThat(d.isSettled()).as("reserved for the transaction").isTrue();
        assertThat(scripted.settlements).as("nothing reaches the driver before the commit").isEmpty();
        assertThat(broker.sent("out")).isEmpty();
        tx.commit();
        assertThat(broker.calls).contains("commit 1 sends 1 acks");
        assertThat(scripted.settlements).containsExactly("ack");
        assertThat(r.join().topic()).isEqualTo("out");
        assertThat(broker.sent("out")).extracting(Message::payloadAsString).containsExactly("x");
        assertThat(broker.sent("out").get(0).id()).as("stamped like any send").isNotNull();
    }

    @Test
    void aCommitKnownToHaveFailedGivesTheDeliveriesBackAndFailsTheSends() {
        Delivery d = deliver(client.consumer("in", "g"));
        Transaction tx = client.beginTransaction();
        CompletableFuture<Receipt> r = sendAndAck(tx, d);
        broker.failNextCommit.set(new TransactionException(TransactionException.Outcome.ABORTED, "fenced", null));
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class)
                .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.ABORTED))
                .satisfies(e -> assertThat(((TransactionException) e).isRetryable()).isTrue());
        assertThat(scripted.settlements).containsExactly("release");
        assertThatThrownBy(r::join).hasCauseInstanceOf(TransactionException.class);
        assertThatThrownBy(d::ack).isInstanceOf(SettlementException.class).hasMessageContaining("aborted");
        assertThat(tx.isOpen()).isFalse();
    }

    @Test
    void aCommitWhoseOutcomeIsNotKnownKeepsTheDeliveriesSettledAndSaysSo() {
        Delivery d = deliver(client.consumer("in", "g"));
        Transaction tx = client.beginTransaction();
        CompletableFuture<Receipt> r = sendAndAck(tx, d);
        broker.failNextCommit.set(new ConnectionException("connection lost during the commit", null));
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class).hasMessageContaining("may or may not")
                .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.UNKNOWN))
                .hasCauseInstanceOf(ConnectionException.class);
        // the broker may have taken the ack: the core neither gives the message back nor lets it be settled again
        assertThat(scripted.settlements).isEmpty();
        assertThat(d.isSettled()).isTrue();
        assertThatThrownBy(r::join).hasCauseInstanceOf(TransactionException.class);
    }

    @Test
    void aDriverThatThrowsOnTheCallersThreadIsHeardAsIfItFailedTheFuture() {
        Delivery d = deliver(client.consumer("in", "g"));
        Transaction tx = client.beginTransaction();
        CompletableFuture<Receipt> r = sendAndAck(tx, d);
        broker.throwOnNextCommit.set(new TransactionException(TransactionException.Outcome.ABORTED, "rolled back", null));
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class).hasMessage("rolled back")
                .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.ABORTED));
        assertThat(scripted.settlements).containsExactly("release");
        assertThatThrownBy(r::join).hasCauseInstanceOf(TransactionException.class);
    }

    @Test
    void aDriverThatConfirmsTooFewReceiptsIsAnUnknownOutcomeNotASilentGap() {
        Transaction tx = client.beginTransaction();
        tx.send("out", "a");
        tx.send("out", "b");
        broker.shortNextCommit.set(true);
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class).hasMessageContaining("1 receipts for 2 sends");
    }

    @Test
    void wrongUsesAreRefusedSayingWhy() {
        Consumer consumer = client.consumer("in", "g");
        Delivery d = deliver(consumer);
        try (Transaction tx = client.beginTransaction()) {
            assertThatThrownBy(() -> tx.send("bad topic name!", "x")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> tx.send("out", (Message) null)).isInstanceOf(InvalidMessageException.class);
            assertThatThrownBy(() -> tx.send("out", Message.builder().payload("x").header("anymq-id", "y").build()))
                    .isInstanceOf(InvalidMessageException.class).hasMessageContaining("reserved");
            assertThatThrownBy(() -> tx.ack(null)).isInstanceOf(IllegalArgumentException.class);
            try (MessagingClient other = Messaging.connect("fake:" + name)) {
                Consumer elsewhere = other.consumer("in", "g");
                Delivery foreign = deliver(elsewhere);
                assertThatThrownBy(() -> tx.ack(foreign)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own client");
                foreign.ack();
            }
            d.ack();
            assertThatThrownBy(() -> tx.ack(d)).isInstanceOf(SettlementException.class);
        }
        String other = UUID.randomUUID().toString();
        try (MessagingClient noAcks = Messaging.connect("fake:" + other + "?without=TRANSACTIONAL_ACK");
             Transaction tx = noAcks.beginTransaction()) {
            Consumer c = noAcks.consumer("in", "g");
            FakeBroker.named(other).deliver("in", Message.of("m"), 1);
            Delivery mine = c.receive(Duration.ofSeconds(5)).orElseThrow();
            assertThatThrownBy(() -> tx.ack(mine)).isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("TRANSACTIONAL_ACK");
            assertThat(mine.isSettled()).isFalse();
        }
        Transaction open = client.beginTransaction();
        client.close();
        assertThatThrownBy(open::commit).isInstanceOf(ClosedException.class);
        assertThatThrownBy(client::beginTransaction).isInstanceOf(ClosedException.class);
    }

    @Test
    void inTransactionCommitsOnReturnAndAbortsOnAThrow() {
        CompletableFuture<Receipt> kept = client.inTransaction(tx -> tx.send("out", "kept"));
        assertThat(kept.join().topic()).isEqualTo("out");
        assertThatThrownBy(() -> client.inTransaction(tx -> {
            tx.send("out", "dropped");
            throw new IllegalStateException("handler failed");
        })).hasMessage("handler failed");
        assertThat(broker.sent("out")).extracting(Message::payloadAsString).containsExactly("kept");
        assertThat(broker.calls).containsOnlyOnce("commit 1 sends 0 acks");
    }

    @Test
    void interceptorsSeeATransactionsSendsWhenMadeAndTheirOutcomeAtTheEnd() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        MessagingInterceptor tracer = new MessagingInterceptor() {
            @Override
            public void beforeSend(SendContext send) {
                send.header("traceparent", "00-trace");
                seen.add("before " + send.topic());
            }

            @Override
            public void afterSend(SendContext send, Receipt receipt, Throwable failure) {
                seen.add("after " + send.topic() + " " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            }
        };
        try (MessagingClient traced = Messaging.connect(MessagingConfig.builder().url("fake:" + name).interceptor(tracer).build())) {
            traced.inTransaction(tx -> tx.send("out", "a"));
            try (Transaction tx = traced.beginTransaction()) {
                tx.send("other", "b");
            }
        }
        assertThat(seen).containsExactly("before out", "after out ok", "before other", "after other TransactionException");
        assertThat(broker.sent("out").get(0).header("traceparent")).as("the header an interceptor added is committed").isEqualTo("00-trace");
    }
}
