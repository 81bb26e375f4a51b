package io.anymq.tck;

import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.DeliveryHandler;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream count itself, on a fake topic: what it calls lost. */
class StreamCheckTest {

    /** A topic as a queue: what the producer stores, the member receives. */
    private final LinkedBlockingQueue<Message> topic = new LinkedBlockingQueue<>();

    /**
     * A send that the producer's close stopped waiting for and that the broker confirms a second later (an
     * in-doubt send: the message is stored then, and reaches the members then) is not lost: the check keeps
     * receiving until every send is settled. Before, it stopped its members as soon as what was confirmed so
     * far had arrived, and the late confirmation made a message that nobody was receiving any more count as lost.
     */
    @Test
    void aSendConfirmedAfterTheProducersCloseStoppedWaitingIsReceivedBeforeTheCheckEnds() throws InterruptedException {
        LateProducer producer = new LateProducer("m-9", Duration.ofSeconds(1));
        StreamCheck check = new StreamCheck("m", t -> producer);
        check.join(new QueueMember());

        check.run("t", 1, 10, i -> { }, Duration.ofSeconds(10));
        producer.late.join(); // the late confirmation has come (after the check ended, before the fix)

        assertThat(check.confirmed()).hasSize(10);
        assertThat(check.received()).containsAll(check.confirmed());
        assertThat(check.unsettledSends()).isZero();
    }

    /** Stores and confirms every message at once, except one, which it stores and confirms a while after close. */
    private final class LateProducer implements Producer {
        private final String lateId;
        private final Duration after;
        final CompletableFuture<Receipt> late = new CompletableFuture<>();
        private Message held;

        LateProducer(String lateId, Duration after) {
            this.lateId = lateId;
            this.after = after;
        }

        @Override
        public CompletableFuture<Receipt> send(Message message) {
            if (message.id().equals(lateId)) {
                held = message;
                return late;
            }
            topic.add(message);
            return CompletableFuture.completedFuture(receipt(message));
        }

        /** Stops waiting at once (as a close whose timeout ran out); the held send is confirmed later. */
        @Override
        public boolean close(Duration timeout) {
            CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                topic.add(held);
                late.complete(receipt(held));
            });
            return false;
        }

        @Override
        public void close() {
            close(Duration.ZERO);
        }

        @Override
        public String topic() {
            return "t";
        }

        @Override
        public CompletableFuture<List<Receipt>> sendBatch(List<Message> messages) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {
        }

        @Override
        public int inFlight() {
            return late.isDone() ? 0 : 1;
        }
    }

    private static Receipt receipt(Message m) {
        return new Receipt("t", m.id(), Instant.now(), null);
    }

    /** A member that takes from the topic; its acks always succeed. */
    private final class QueueMember implements Consumer {
        @Override
        public List<Delivery> receive(int max, Duration timeout) {
            List<Delivery> out = new ArrayList<>();
            try {
                Message first = topic.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    out.add(new GivenDelivery(first, true));
                    Message next;
                    while (out.size() < max && (next = topic.poll()) != null) {
                        out.add(new GivenDelivery(next, true));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out;
        }

        @Override
        public Optional<Delivery> receive(Duration timeout) {
            return receive(1, timeout).stream().findFirst();
        }

        @Override
        public String topic() {
            return "t";
        }

        @Override
        public String group() {
            return "g";
        }

        @Override
        public Subscription subscribe(DeliveryHandler handler, SubscribeOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int unsettled() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
