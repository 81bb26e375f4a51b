package io.anymq.spi;

import io.anymq.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadTest {

    private record Fetched(int n) implements DriverDelivery {
        @Override
        public Message message() {
            return Message.of("m" + n);
        }

        @Override
        public int deliveryCount() {
            return 1;
        }

        @Override
        public CompletableFuture<Void> ack() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> nack(Duration delay) {
            return ack();
        }

        @Override
        public CompletableFuture<Void> reject() {
            return ack();
        }
    }

    @Test
    void drainsOldestFirstUpToTheMaximum() {
        ReadAhead<Fetched> r = new ReadAhead<>();
        for (int i = 0; i < 5; i++) {
            r.add(new Fetched(i));
        }
        assertThat(r.drain(3)).containsExactly(new Fetched(0), new Fetched(1), new Fetched(2));
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.drain(10)).containsExactly(new Fetched(3), new Fetched(4));
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.drain(1)).isEmpty();
    }

    @Test
    void dropsAndTakesAll() {
        ReadAhead<Fetched> r = new ReadAhead<>();
        for (int i = 0; i < 6; i++) {
            r.add(new Fetched(i));
        }
        r.removeIf(f -> f.n() % 2 == 0);
        List<Fetched> taken = new ArrayList<>();
        r.takeAll(taken::add);
        assertThat(taken).containsExactly(new Fetched(1), new Fetched(3), new Fetched(5));
        assertThat(r.isEmpty()).isTrue();
    }
}
