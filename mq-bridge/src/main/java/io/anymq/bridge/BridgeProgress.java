package io.anymq.bridge;

import java.time.Duration;

/**
 * A snapshot of a bridge's counters since it started.
 *
 * @param received      deliveries taken from the source (redeliveries count again)
 * @param copied        messages the destination confirmed and the bridge then acked at the source
 * @param deadLettered  messages the destination refused for good, confirmed by the dead-letter
 *                      destination and then acked at the source
 * @param sendRetries   sends that failed with a retryable error and were tried again
 * @param receiveErrors receives from the source that failed with a retryable error
 * @param ackFailures   acks the source refused (the ack timeout had passed, the consumer lost the
 *                      message): the source delivers those messages again, so they may arrive twice
 * @param elapsed       time since the bridge started
 */
public record BridgeProgress(long received, long copied, long deadLettered, long sendRetries, long receiveErrors,
                             long ackFailures, Duration elapsed) {

    /** Messages copied per second since the start. */
    public double averageRate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : copied / seconds;
    }

    /** Failures of any kind: retried sends and receives, refused acks, dead-lettered messages. */
    public long failures() {
        return sendRetries + receiveErrors + ackFailures + deadLettered;
    }
}
