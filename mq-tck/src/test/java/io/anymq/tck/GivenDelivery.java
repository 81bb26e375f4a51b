package io.anymq.tck;

import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.SettlementException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A delivery of a given message, first of its kind, whose ack succeeds or is refused (REVOKED) as given: what the
 * tests of the suite's own checks hand them. Nack and reject are not used there.
 */
record GivenDelivery(Message message, boolean ackAccepted) implements Delivery {

    /** Message {@code seq} of the key (its payload is the number). */
    static GivenDelivery of(String key, int seq, boolean ackAccepted) {
        return new GivenDelivery(Message.builder().payload(Integer.toString(seq)).key(key).build(), ackAccepted);
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
    public int deliveryCount() {
        return 1;
    }

    @Override
    public CompletableFuture<Void> ack() {
        return ackAccepted ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new SettlementException(SettlementException.Reason.REVOKED, "taken away"));
    }

    @Override
    public CompletableFuture<Void> nack(Duration delay) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> reject() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isSettled() {
        return false;
    }
}
